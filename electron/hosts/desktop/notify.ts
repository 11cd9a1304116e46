/**
 * The watch's desktop notifications (Electron's Notification: the system's own). A burst of
 * deletions: "2,140 files deleted from Home / Projects in 4 minutes" / "Nextcloud, alice";
 * clicking it opens the window on that event, ready for "Restore this event". The expiry warning
 * is quiet (no sound, low urgency). Nothing is shown where the system has no notifications.
 */
import { Notification } from 'electron';
import type { WatchAlert } from '../../../shared/watch';

export class AlertNotifier {
  /** Shown notifications, held until closed or clicked (one that is collected loses its click handler). */
  private readonly shown = new Set<Notification>();

  constructor(private readonly open: (alertId: string) => void) {}

  show(alert: WatchAlert): boolean {
    if (!Notification.isSupported()) return false;
    const quiet = alert.kind === 'expiring';
    const n = new Notification({
      title: alert.title,
      body: quiet ? alert.body : `${alert.body} — click to see the items and restore them`,
      silent: quiet,
      urgency: quiet ? 'low' : 'normal',
    });
    this.shown.add(n);
    n.on('click', () => {
      this.shown.delete(n);
      this.open(alert.id);
    });
    n.on('close', () => this.shown.delete(n));
    n.show();
    return true;
  }
}
