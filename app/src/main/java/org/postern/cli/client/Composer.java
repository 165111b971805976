package org.postern.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.message.Addresses;
import org.postern.client.message.MessageBuilder;
import org.postern.client.message.MessageBuilder.Draft;
import org.postern.client.store.LocalStore;
import org.postern.client.sync.OutboxSender;
import org.postern.client.sync.SyncProgress;

/**
 * Writing a message, for {@code send}, {@code reply}, {@code reply-all} and {@code forward}: the text comes from
 * {@code $VISUAL}/{@code $EDITOR} on a template (To, Cc, Bcc, Subject lines, an empty line, the text) when there is
 * a terminal, else from standard input; the message is written (MessageBuilder), put in the outbox, and sent at
 * once unless {@code --queue} or the server cannot be reached (then the next {@code send --flush} or sync sends it).
 */
final class Composer {
    /** Largest text read from standard input or the editor: a letter, not a data transfer (attach files instead). */
    static final int MAX_TEXT_BYTES = 10 * 1024 * 1024;
    /** Header lines of the editor template, in order. */
    static final List<String> FIELDS = List.of("To", "Cc", "Bcc", "Subject");

    /** Options every composing command shares. */
    static final class Options {
        @picocli.CommandLine.Option(names = "--to", paramLabel = "ADDRESS", split = ",", description = "recipient (repeat or comma-separate)")
        List<String> to = new ArrayList<>();
        @picocli.CommandLine.Option(names = "--cc", paramLabel = "ADDRESS", split = ",")
        List<String> cc = new ArrayList<>();
        @picocli.CommandLine.Option(names = "--bcc", paramLabel = "ADDRESS", split = ",", description = "envelope only, never in the header")
        List<String> bcc = new ArrayList<>();
        @picocli.CommandLine.Option(names = {"-s", "--subject"}, paramLabel = "TEXT")
        String subject;
        @picocli.CommandLine.Option(names = "--attach", paramLabel = "FILE", description = "attach a file (repeat for more)")
        List<Path> attach = new ArrayList<>();
        @picocli.CommandLine.Option(names = "--queue", description = "only put it in the outbox; send later (send --flush or sync)")
        boolean queue;
        @picocli.CommandLine.Option(names = "--no-edit", description = "do not open the editor: the text is read from standard input")
        boolean noEdit;
    }

    private Composer() {}

    /**
     * Composes and queues (and sends) a message. {@code draftFor} gives the draft for a text (a reply quotes the
     * original under it); options given on the command line override the draft's fields.
     */
    static void compose(Context ctx, Account account, LocalStore store, Options o,
                                         Function<String, Draft> draftFor) throws IOException {
        Draft d;
        boolean edit = ctx.inv.terminal().isPresent() && !o.noEdit;
        if (edit) {
            d = overridden(draftFor.apply(""), o);
            d = edited(ctx, account, d);
        } else {
            d = overridden(draftFor.apply(readText(ctx.inv.stdin())), o);
        }
        List<String> recipients = recipients(d);
        if (recipients.isEmpty()) throw new CliException("no recipients: give --to (or To: in the editor)");
        Path tmp = Files.createTempFile(ctx.home.accountDir(account.name()), "compose-", ".eml");
        try {
            String messageId;
            try {
                messageId = MessageBuilder.write(d, ZonedDateTime.now(), tmp);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            store.queue(tmp, messageId, Addresses.addressOf(account.address()), recipients);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Sends the outbox now unless {@code queue}; says what happened (sent, or waiting in the outbox and why). */
    static void sendNow(Context ctx, Account account, LocalStore store, boolean queue, String what) throws IOException {
        if (queue) {
            ctx.out().println(what + " queued in the outbox (send it with `postern client send --flush` or sync)");
            return;
        }
        SyncProgress progress = Progress.forContext(ctx);
        OutboxSender.Report r;
        try {
            try {
                r = new Remote(ctx, account).sendOutbox(store, progress);
            } finally {
                Progress.finish(progress);
            }
        } catch (IOException e) {
            if (!unreachable(e)) throw e;
            ctx.out().println(what + " queued in the outbox: the server cannot be reached now ("
                    + ClientCommand.oneLine(e.getMessage()) + "); `postern client send --flush` or the next sync sends it");
            return;
        }
        List<LocalStore.OutboxEntry> left = store.outbox();
        if (!left.isEmpty() && left.stream().allMatch(e -> e.state() == LocalStore.OutboxEntry.State.SENDING)) {
            // OutboxSender leaves an entry SENDING when the submission server could not be reached (or the
            // connection broke): it stays for the next run, which looks in Sent before sending it again.
            ctx.out().println(what + " queued in the outbox: the submission server cannot be reached now ("
                    + ClientCommand.oneLine(left.getFirst().lastError().orElse("no answer"))
                    + "); `postern client send --flush` or the next sync sends it");
            return;
        }
        for (String w : r.warnings()) ctx.err().println("warning: " + w);
        if (r.failed() > 0 || !left.isEmpty()) {
            String why = left.stream().map(e -> e.lastError().orElse("")).filter(s -> !s.isEmpty()).findFirst()
                    .orElse("see `postern client outbox`");
            throw new CliException(what + " not sent, kept in the outbox: " + ClientCommand.oneLine(why));
        }
        ctx.out().println(what + " sent" + (r.sent() > 1 ? " (with " + (r.sent() - 1) + " more from the outbox)" : ""));
    }

    /** The connection could not be made at all (refused, no route, unknown host, timed out): nothing was sent. */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException || t instanceof java.net.SocketTimeoutException) return true;
        }
        return false;
    }

    private static Draft overridden(Draft d, Options o) {
        List<Path> attachments = new ArrayList<>(d.attachments());
        attachments.addAll(o.attach);
        return new Draft(d.from(), o.to.isEmpty() ? d.to() : trimmed(o.to), o.cc.isEmpty() ? d.cc() : trimmed(o.cc),
                o.bcc.isEmpty() ? d.bcc() : trimmed(o.bcc), o.subject == null ? d.subject() : o.subject, d.text(),
                List.copyOf(attachments), d.forwarded(), d.inReplyTo(), d.references());
    }

    private static List<String> trimmed(List<String> l) {
        return l.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Envelope recipients: every address of To, Cc and Bcc, once each (RFC 5321 §3.3: RCPT per recipient). */
    static List<String> recipients(Draft d) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        for (List<String> l : List.of(d.to(), d.cc(), d.bcc())) {
            for (String typed : l) {
                var boxes = Addresses.mailboxes(typed);
                if (boxes.isEmpty()) throw new CliException("not an email address: " + typed);
                for (var m : boxes) all.add(m.address().toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(all);
    }

    static String readText(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        for (int n; (n = in.read(chunk)) > 0; ) {
            if (buf.size() + n > MAX_TEXT_BYTES)
                throw new CliException("the text is longer than " + MAX_TEXT_BYTES / (1024 * 1024) + " MB: attach it as a file (--attach)");
            buf.write(chunk, 0, n);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** The template written for the editor. */
    static String template(Draft d) {
        return "To: " + String.join(", ", d.to()) + "\nCc: " + String.join(", ", d.cc()) + "\nBcc: "
                + String.join(", ", d.bcc()) + "\nSubject: " + d.subject() + "\n\n" + d.text();
    }

    /** Reads the edited template back: the header lines (continuation lines start with white space), then the text. */
    static Draft parseTemplate(Draft base, String edited) {
        String text = edited.replace("\r\n", "\n");
        int end = text.indexOf("\n\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 2);
        List<String> lines = new ArrayList<>();
        for (String line : head.split("\n")) {
            if (line.isEmpty()) continue;
            if ((line.startsWith(" ") || line.startsWith("\t")) && !lines.isEmpty())
                lines.set(lines.size() - 1, lines.getLast() + " " + line.strip());
            else lines.add(line);
        }
        List<String> to = base.to(), cc = base.cc(), bcc = base.bcc();
        String subject = base.subject();
        for (String line : lines) {
            int colon = line.indexOf(':');
            String field = colon < 0 ? "" : line.substring(0, colon).strip();
            String value = colon < 0 ? "" : line.substring(colon + 1).strip();
            switch (field.toLowerCase(Locale.ROOT)) {
                case "to" -> to = split(value);
                case "cc" -> cc = split(value);
                case "bcc" -> bcc = split(value);
                case "subject" -> subject = value;
                default -> throw new CliException("the edited message has a line the template does not know: '"
                        + Table.fit(line, 60) + "' (keep To:, Cc:, Bcc:, Subject:, then an empty line, then the text)");
            }
        }
        return new Draft(base.from(), to, cc, bcc, subject, body, base.attachments(), base.forwarded(), base.inReplyTo(),
                base.references());
    }

    /** Splits an address list at the commas that are outside quotes and angle brackets. */
    static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        int angle = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) quoted = !quoted;
            else if (!quoted && c == '<') angle++;
            else if (!quoted && c == '>' && angle > 0) angle--;
            if (c == ',' && !quoted && angle == 0) {
                if (!cur.toString().isBlank()) out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().strip());
        return out;
    }

    /**
     * Opens {@code $VISUAL}, else {@code $EDITOR}, else {@code vi} on the template (run by {@code sh -c} so an editor
     * with arguments works); an unchanged or emptied file cancels.
     */
    private static Draft edited(Context ctx, Account account, Draft d) throws IOException {
        String editor = Optional.ofNullable(ctx.inv.env().get("VISUAL")).filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(ctx.inv.env().get("EDITOR")).filter(s -> !s.isBlank())).orElse("vi");
        Path file = Files.createTempFile(ctx.home.accountDir(account.name()), "draft-", ".txt");
        try {
            String template = template(d);
            Files.writeString(file, template, StandardCharsets.UTF_8);
            int exit;
            try {
                exit = new ProcessBuilder("sh", "-c", editor + " \"$1\"", "sh", file.toString()).inheritIO().start().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while editing: nothing sent");
            }
            if (exit != 0) throw new CliException("the editor (" + editor + ") failed (exit " + exit + "): nothing sent");
            if (Files.size(file) > MAX_TEXT_BYTES)
                throw new CliException("the text is longer than " + MAX_TEXT_BYTES / (1024 * 1024) + " MB: attach it as a file (--attach)");
            String edited = Files.readString(file, StandardCharsets.UTF_8);
            if (edited.equals(template) || edited.isBlank()) throw new CliException("message not changed: nothing sent");
            return parseTemplate(d, edited);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new CliException("the edited message is not UTF-8: nothing sent");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
