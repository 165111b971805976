package org.postern.server.imap;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postern.server.imap.ImapState.Selected;
import org.postern.wire.imap.ImapCommand;
import org.postern.wire.imap.ImapParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IDLE (RFC 2177, RFC 9051 §6.3.13): {@code + idling}, then the selected mailbox's changes as they are committed,
 * until the client sends DONE. The session thread waits for DONE (the autologout timer applies, RFC 9051 §5.4);
 * a second virtual thread, the pusher, parks until the store's change feed wakes the view and then announces
 * the changes (expunges included: IDLE is a command in progress, RFC 9051 §7.5.1) and flushes them.
 */
final class IdleCommand {
    private static final Logger log = LoggerFactory.getLogger(IdleCommand.class);

    private final ImapSession s;

    IdleCommand(ImapSession s) {
        this.s = s;
    }

    Reply idle(ImapCommand.Idle cmd) throws IOException {
        s.out.continuation("idling");
        AtomicBoolean stop = new AtomicBoolean();
        Thread pusher = null;
        if (s.state instanceof Selected sel) {
            SelectedView view = sel.view();
            view.announce(true);   // expunges held back after a FETCH, STORE or SEARCH by number may be told now
            pusher = Thread.ofVirtual().name("imap-idle-" + s.conn.id()).start(() -> push(view, stop));
        }
        s.io.flush();
        s.out.release();   // an IDLE may last 29 minutes: no response buffer while it waits
        byte[] line;
        try {
            s.io.timeout(s.settings.autologout());
            line = s.in.readLine();
        } finally {
            stop.set(true);
            if (pusher != null) {
                LockSupportWake.wake(pusher);
                joinUninterruptibly(pusher);
            }
        }
        if (!ImapParser.isDone(line)) return Reply.bad("expected DONE to end IDLE");
        return Reply.ok("IDLE terminated");
    }

    private void push(SelectedView view, AtomicBoolean stop) {
        try {
            while (!stop.get()) {
                view.awaitSignal(Thread.currentThread(), stop::get);
                if (stop.get()) return;
                view.announce(true);
                s.io.flush();
                s.out.release();
            }
        } catch (SelectedView.MailboxGoneException e) {
            try {
                s.out.bye("the selected mailbox was deleted by another session, closing");
                s.io.flush();
                s.io.socket().shutdownInput();   // ends the session's wait for DONE
            } catch (IOException ignored) {
                // the connection is ending anyway
            }
        } catch (IOException | RuntimeException e) {
            log.debug("conn={} IDLE push failed: {}", s.conn.id(), e.toString());
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Unparks a thread parked in {@link SelectedView#awaitSignal}. */
    private static final class LockSupportWake {
        static void wake(Thread t) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }
}
