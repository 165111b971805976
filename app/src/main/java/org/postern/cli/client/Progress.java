package org.postern.cli.client;

import java.io.PrintWriter;
import java.time.Duration;
import org.postern.client.sync.SyncProgress;

/**
 * A one-line progress bar on standard error ({@code INBOX [#######.......] 812/2000}), drawn only when there is a
 * terminal and only once the work has lasted {@link #QUIET_FOR}: a short sync shows nothing but its summary.
 * Redrawn at most every {@link #REDRAW_EVERY}, so a fast download is not slowed by the terminal.
 */
final class Progress implements SyncProgress {
    /** How long a sync runs before a bar is worth showing. */
    static final Duration QUIET_FOR = Duration.ofSeconds(1);
    static final Duration REDRAW_EVERY = Duration.ofMillis(100);

    private final PrintWriter err;
    private final int width;
    private final long started = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    private Progress(PrintWriter err, int width) {
        this.err = err;
        this.width = width;
    }

    static SyncProgress forContext(Context ctx) {
        return ctx.interactive() ? new Progress(ctx.err(), ctx.width()) : SyncProgress.NONE;
    }

    @Override
    public void progress(String folder, long done, long total) {
        long now = System.nanoTime();
        if (now - started < QUIET_FOR.toNanos()) return;
        if (done < total && now - lastDraw < REDRAW_EVERY.toNanos()) return;
        lastDraw = now;
        err.print("\r" + line(folder, done, total, width));
        err.flush();
        drawn = true;
    }

    /** Ends the bar's line, if one was drawn, so what follows starts on a clean line. */
    void finish() {
        if (drawn) {
            err.print("\r" + " ".repeat(Math.max(0, width - 1)) + "\r");
            err.flush();
        }
    }

    static void finish(SyncProgress p) {
        if (p instanceof Progress bar) bar.finish();
    }

    /** The bar's text, at most {@code width - 1} characters (the last column would wrap on some terminals). */
    static String line(String folder, long done, long total, int width) {
        String count = " " + done + "/" + total;
        String name = Table.fit(folder, Math.max(4, width / 4));
        int bar = Math.max(10, width - 1 - name.length() - count.length() - 3);
        int filled = total <= 0 ? 0 : (int) Math.min(bar, bar * done / total);
        return name + " [" + "#".repeat(filled) + ".".repeat(bar - filled) + "]" + count;
    }
}
