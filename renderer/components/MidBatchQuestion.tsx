import { useQuery } from '@tanstack/react-query';
import { useQuestionAnswers } from '../actions/operations';
import { operationQueries } from '../queries/operations';
import { ConflictQuestion } from './ConflictDialog';

/** Asks about the first conflict any running batch found mid-way. */
export function MidBatchQuestion() {
  const ops = useQuery(operationQueries.list());
  const { answer, stop } = useQuestionAnswers();
  const op = ops.data?.find((o) => o.state === 'needs-answer' && o.question);
  if (!op?.question) return null;
  return (
    <ConflictQuestion
      key={`${op.id}:${op.question.itemKey}`}
      conflict={op.question}
      onAnswer={(resolution, applyToAll) => answer.mutate({ operationId: op.id, resolution, applyToAll })}
      onCancelBatch={() => stop.mutate(op.id)}
    />
  );
}
