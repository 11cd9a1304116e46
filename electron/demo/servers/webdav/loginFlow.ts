import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileTree } from '../tree';
import { origin } from './common';
import { sendJson } from './sabre';

interface LoginFlowState {
  pollToken: string;
  approved: { loginName: string; appPassword: string } | null;
}

/** Nextcloud's Login Flow v2 (index.php/login/v2): a flow, its poll, and a stand-in for the browser page. */
export class LoginFlow {
  private readonly flows = new Map<string, LoginFlowState>();

  constructor(private readonly tree: FileTree) {}

  serve(req: IncomingMessage, res: ServerResponse, url: URL, method: string, body: Buffer): void {
    const base = origin(req);
    if (method === 'POST' && url.pathname === '/index.php/login/v2') {
      const pollToken = randomBytes(32).toString('hex');
      const loginToken = randomBytes(32).toString('hex');
      this.flows.set(loginToken, { pollToken, approved: null });
      return sendJson(res, 200, {
        poll: { token: pollToken, endpoint: `${base}/index.php/login/v2/poll` },
        login: `${base}/index.php/login/v2/flow/${loginToken}`,
      });
    }
    if (method === 'POST' && url.pathname === '/index.php/login/v2/poll') {
      const token = new URLSearchParams(body.toString('utf8')).get('token');
      for (const [loginToken, flow] of this.flows) {
        if (flow.pollToken === token && flow.approved) {
          this.flows.delete(loginToken); // answered once only
          return sendJson(res, 200, {
            server: base,
            loginName: flow.approved.loginName,
            appPassword: flow.approved.appPassword,
          });
        }
      }
      return sendJson(res, 404, []);
    }
    const m = /^\/index\.php\/login\/v2\/flow\/([0-9a-f]+)$/.exec(url.pathname);
    if (m && (method === 'GET' || method === 'POST')) {
      const flow = this.flows.get(m[1]!);
      if (!flow) {
        res.writeHead(403, { 'Content-Type': 'text/html; charset=UTF-8' });
        return void res.end('<!DOCTYPE html><html><body>Access forbidden: token invalid</body></html>');
      }
      // Test stand-in for the browser page: ?user=alice approves the flow as that user.
      const userId = url.searchParams.get('user');
      const user = userId ? this.tree.users.get(userId) : undefined;
      if (user) {
        const appPassword = randomBytes(36).toString('base64url').slice(0, 72);
        user.appPasswords.push(appPassword);
        flow.approved = { loginName: user.id, appPassword };
        res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
        return void res.end('<!DOCTYPE html><html><body>Account connected. You can close this window.</body></html>');
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
      return void res.end('<!DOCTYPE html><html><body>Connect to your account</body></html>');
    }
    res.writeHead(404, { 'Content-Type': 'text/html; charset=UTF-8' });
    res.end('');
  }
}
