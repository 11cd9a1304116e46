import { AppError } from '../../base/errors';
import type { TrashItem } from '../../../shared/model';
import { spaceRestrictions, type Space } from './dialect';
import { folderSegments } from './paths';
import type { WebDavSession } from './requests';
import { fetchTrashItems, ListingStatusError } from './trashStream';

/**
 * Listing the trash (or a trashed folder): one PROPFIND per listing, sent and parsed by the listing
 * worker (trashStream.ts), oCIS one listing per space.
 */
export class TrashListing {
  constructor(private readonly s: WebDavSession) {}

  async *listTrash(
    parentId: string | null,
    signal?: AbortSignal,
  ): AsyncIterable<{ items: TrashItem[]; total?: number }> {
    if (parentId !== null) folderSegments(parentId); // refuses "..", "."
    // The whole trash (a load or Reload): oCIS reads the spaces again, so a new membership shows.
    await this.s.prepare(signal, parentId === null && this.s.dialect.spaces !== undefined);
    // oCIS: one listing per space (the root) or the trashed folder's space.
    const listings = this.s.dialect.spaces?.listings(this.s.ctx, parentId) ?? [
      { listedPath: this.s.trashPath(parentId), trashRootPath: this.s.trashPath(null), space: undefined },
    ];
    for (const listing of listings) yield* this.listOne(parentId, listing, signal);
  }

  private async *listOne(
    parentId: string | null,
    listing: { listedPath: string; trashRootPath: string; space: Space | undefined },
    signal?: AbortSignal,
    renewed = false,
  ): AsyncIterable<{ items: TrashItem[]; total?: number }> {
    const listed = listing.listedPath;
    const auth = await this.s.authHeader();
    const ctx = {
      accountId: this.s.account.id,
      parentId,
      listedPath: listed.replace(/\/+$/, ''),
      trashRootPath: listing.trashRootPath,
      ...(listing.space
        ? { space: { id: listing.space.id, name: listing.space.name, personal: listing.space.personal } }
        : {}),
    };
    // The listing worker sends the PROPFIND and parses the body itself: the bytes of a big trash
    // never pass through this thread, only finished chunks of items.
    const request = {
      url: this.s.url(listed),
      method: 'PROPFIND',
      headers: { Authorization: auth.header, 'Content-Type': 'application/xml; charset=utf-8', Depth: '1' },
      body: this.s.dialect.trashPropfind,
      timeoutMs: this.s.http.timeoutMs,
      ...(this.s.http.pauseCapMs !== undefined ? { pauseCapMs: this.s.http.pauseCapMs } : {}),
      userAgent: this.s.http.userAgent,
      ...(this.s.account.trustedCertFingerprint
        ? { trustedCertFingerprint: this.s.account.trustedCertFingerprint }
        : {}),
    };
    try {
      // oCIS: what the user's role in the space keeps them from doing, on each item, before they try.
      const limits = listing.space ? spaceRestrictions(listing.space) : null;
      const limited = limits && (limits.cannotRestore || limits.cannotDelete) ? limits : null;
      for await (const items of fetchTrashItems(request, this.s.kind, ctx, this.s.options.parseHost, signal)) {
        yield { items: limited ? items.map((item) => ({ ...item, ...limited })) : items };
      }
    } catch (e) {
      if (!(e instanceof ListingStatusError)) throw e;
      // A 401 comes before any item: after an OpenID Connect refresh the listing starts again.
      if (e.status === 401 && !renewed && (await this.s.renewedAfter401(auth.token))) {
        yield* this.listOne(parentId, listing, signal, true);
        return;
      }
      if (e.status === 401) throw new AppError('AUTH_FAILED', this.s.refusedMessage(), { status: 401 });
      throw await this.s.failure(new Response(e.body, { status: e.status }), {
        404: parentId ? 'This folder is no longer in the trash.' : 'The trash bin was not found on the server.',
        403: 'This account may not read this trash bin.',
      });
    }
  }

  parentOf(id: string): string | null {
    const slash = id.lastIndexOf('/');
    return slash > 0 ? id.slice(0, slash) : null;
  }
}
