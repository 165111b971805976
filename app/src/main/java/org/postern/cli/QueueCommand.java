package org.postern.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.postern.server.queue.QueueStore;
import org.postern.server.queue.QueuedMessage;
import org.postern.server.store.MailStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code postern queue list|show|retry|remove|bounce}: the outbound queue, for the operator. Works while the
 * server runs (the store is shared; the running relay sees a retry or bounce at its next look, within a second).
 */
@Command(name = "queue", description = "Inspect the outbound queue: mail for other domains waiting to be relayed.")
final class QueueCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @ParentCommand
    Main main;

    @Command(name = "list", description = "One entry per message: id, age, sender, size, attempts, next attempt; "
            + "then each recipient still queued with its attempts and last error.")
    int list(@Mixin DataOptions data) {
        try (MailStore store = main.store(data)) {
            List<QueuedMessage> all = store.queue().list();
            Instant now = Instant.now();
            for (QueuedMessage m : all) {
                main.out().println(m.id() + "  " + age(Duration.between(m.created(), now)) + "  <" + m.envelopeFrom() + ">  "
                        + m.size() + " bytes  attempts " + m.attempts() + "  next " + TIME.format(m.nextAttempt())
                        + (m.bounceRequested() ? "  (bounce requested)" : ""));
                for (QueuedMessage.Recipient r : m.recipients()) {
                    main.out().println("    " + r.address() + "  attempts " + r.attempts()
                            + (r.lastError().isEmpty() ? "" : "  last error: " + r.remoteHost().map(h -> h + ": ").orElse("") + r.lastError()));
                }
            }
            main.out().println(all.size() == 1 ? "1 message queued" : all.size() + " messages queued");
        }
        return 0;
    }

    @Command(name = "show", description = "Everything about one entry, and its message's header.")
    int show(@Parameters(paramLabel = "ID") long id, @Mixin DataOptions data) {
        try (MailStore store = main.store(data)) {
            QueuedMessage m = existing(store.queue(), id);
            var out = main.out();
            out.println("id: " + m.id());
            out.println("from: <" + m.envelopeFrom() + ">");
            out.println("size: " + m.size());
            out.println("queued: " + TIME.format(m.created()));
            out.println("attempts: " + m.attempts());
            out.println("next attempt: " + TIME.format(m.nextAttempt()));
            out.println("delay notice sent: " + (m.delayNotified() ? "yes" : "no"));
            m.options().ret().ifPresent(r -> out.println("ret: " + r));
            m.options().envelopeId().ifPresent(e -> out.println("envid: " + e.value()));
            out.println("body: " + (m.options().eightBit() ? "8bit" : "7bit") + (m.options().smtpUtf8() ? ", SMTPUTF8" : ""));
            if (m.bounceRequested()) out.println("bounce requested: yes");
            for (QueuedMessage.Recipient r : m.recipients()) {
                out.println("recipient: " + r.address());
                out.println("    attempts: " + r.attempts());
                r.notifyOn().ifPresent(n -> out.println("    " + n.toParameter().toLowerCase(java.util.Locale.ROOT)));
                r.orcpt().ifPresent(o -> out.println("    orcpt: " + o.addressType() + ";" + o.address()));
                r.remoteHost().ifPresent(h -> out.println("    remote host: " + h));
                if (!r.lastError().isEmpty()) out.println("    last error: " + r.lastError());
            }
            out.println();
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(new java.io.SequenceInputStream(
                    new java.io.ByteArrayInputStream(m.prefix()), store.blobs().open(m.body())), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) out.println(line);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read the message of queue entry " + id + ": " + e.getMessage(), e);
            }
        }
        return 0;
    }

    @Command(name = "retry", description = "Make entries due now (all when no ID is given).")
    int retry(@Parameters(paramLabel = "ID", arity = "0..*") List<Long> ids, @Mixin DataOptions data) {
        try (MailStore store = main.store(data)) {
            List<Long> which = ids == null || ids.isEmpty() ? all(store.queue()) : ids;
            for (long id : which) {
                if (!store.queue().retryNow(id, Instant.now())) throw new CliException("no queue entry " + id);
                main.out().println("retrying " + id + " now");
            }
        }
        return 0;
    }

    @Command(name = "remove", description = "Delete entries without telling anyone.")
    int remove(@Parameters(paramLabel = "ID", arity = "1..*") List<Long> ids, @Mixin DataOptions data) {
        try (MailStore store = main.store(data)) {
            for (long id : ids) {
                if (!store.queue().remove(id)) throw new CliException("no queue entry " + id);
                main.out().println("removed " + id);
            }
        }
        return 0;
    }

    @Command(name = "bounce", description = "Return entries to their senders now, with a failure notice (the "
            + "running server sends it; otherwise the next start does).")
    int bounce(@Parameters(paramLabel = "ID", arity = "1..*") List<Long> ids, @Mixin DataOptions data) {
        try (MailStore store = main.store(data)) {
            for (long id : ids) {
                if (!store.queue().requestBounce(id, Instant.now())) throw new CliException("no queue entry " + id);
                main.out().println("bouncing " + id);
            }
        }
        return 0;
    }

    private static QueuedMessage existing(QueueStore queue, long id) {
        return queue.find(id).orElseThrow(() -> new CliException("no queue entry " + id));
    }

    private static List<Long> all(QueueStore queue) {
        List<Long> ids = new ArrayList<>();
        for (QueuedMessage m : queue.list()) ids.add(m.id());
        return ids;
    }

    /** 45s, 12m, 3h, 2d: the largest unit that fits. */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m";
        if (s < 86400) return s / 3600 + "h";
        return s / 86400 + "d";
    }
}
