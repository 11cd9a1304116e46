import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileTree } from '../tree';
import { ActivityLog } from './activity';
import type { WebDavServerKind } from './common';
import type { KindFrontEnd } from './kindFrontEnd';
import { NextcloudFrontEnd } from './nextcloud';
import { OcisFrontEnd } from './ocis';
import { OidcProvider } from './oidc';
import { OwnCloud10FrontEnd } from './owncloud10';

export interface FrontEndOptions {
  kind: WebDavServerKind;
  /** Admin setting: deleting from the trash allowed (Nextcloud files.delete_from_trash). */
  deleteFromTrash?: boolean;
}

/**
 * The front end of an ownCloud 10, Nextcloud or oCIS test server over the shared file tree: each
 * kind answers in its own module (nextcloud.ts, owncloud10.ts, ocis.ts; what they share in
 * kindFrontEnd.ts, files.ts, ocs.ts and trash.ts). This is what a server listens with, and what tests
 * reach: the activity log and the settings of oCIS's identity provider (oidc.ts), which the other
 * kinds have but never use.
 */
export class WebDavFrontEnd {
  readonly kind: WebDavServerKind;
  /** The activity app's feed (Nextcloud, ownCloud 10) and the spaces' root ETags (oCIS): see activity.ts. */
  readonly activity: ActivityLog;
  private readonly oidc: OidcProvider;
  private readonly server: KindFrontEnd;

  constructor(tree: FileTree, options: FrontEndOptions) {
    this.kind = options.kind;
    this.activity = new ActivityLog(tree);
    this.oidc = new OidcProvider(tree);
    this.server =
      options.kind === 'nextcloud'
        ? new NextcloudFrontEnd(tree, this.activity, options.deleteFromTrash ?? true)
        : options.kind === 'owncloud10'
          ? new OwnCloud10FrontEnd(tree, this.activity)
          : new OcisFrontEnd(tree, this.activity, this.oidc);
  }

  handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> =>
    this.server.handle(req, res, body);

  /** oCIS: who authorize signs in at once while the sign-in page is off. */
  get oidcLogin(): string {
    return this.oidc.login;
  }

  set oidcLogin(user: string) {
    this.oidc.login = user;
  }

  /** oCIS: authorize sends the browser to the identity provider's sign-in page first. */
  get oidcLoginPage(): boolean {
    return this.oidc.loginPage;
  }

  set oidcLoginPage(on: boolean) {
    this.oidc.loginPage = on;
  }

  /** oCIS: how long an access token lasts (tests shorten it). */
  get oidcTokenSeconds(): number {
    return this.oidc.tokenSeconds;
  }

  set oidcTokenSeconds(seconds: number) {
    this.oidc.tokenSeconds = seconds;
  }

  /** Every refresh token stops working (a sign-out elsewhere, an admin revoking sessions). */
  revokeRefreshTokens(): void {
    this.oidc.revokeRefreshTokens();
  }

  /** Every access token handed out so far expires now. */
  expireAccessTokens(): void {
    this.oidc.expireAccessTokens();
  }
}
