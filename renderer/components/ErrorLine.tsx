import { errorText } from '../lib/errorText';

/** A failed action's error as one announced line, in words the user can act on; nothing when there is no error. */
export function ErrorLine({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  return (
    <p id={id} role="alert" className="error-text">
      {errorText(error)}
    </p>
  );
}
