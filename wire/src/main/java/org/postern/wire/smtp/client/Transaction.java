package org.postern.wire.smtp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.postern.wire.io.DotStuffing;
import org.postern.wire.smtp.SmtpReply;

/**
 * One mail transaction on an established session (RFC 5321 §3.3): MAIL, RCPT per recipient, DATA, the message,
 * the final reply. One instance per {@link SmtpClient#send} call.
 *
 * <p>Rules, in order:
 * <ol>
 * <li>Checks before anything is sent: a message needing SMTPUTF8 to a server without it fails permanently
 *     (RFC 6531 §3.2: an SMTPUTF8 message must not be sent to such a server; 5.6.7 when an address needs it,
 *     5.6.9 when only the header does); a message larger than the server's SIZE fails permanently
 *     (RFC 1870 §6, 5.3.4). An 8-bit message to a server without 8BITMIME is sent as its 7-bit version
 *     (RFC 6152 §3).</li>
 * <li>MAIL carries SIZE= (RFC 1870), BODY=8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531 §3.4), RET and ENVID
 *     (RFC 3461 §4.3-4.4), each only when the server offered the extension; RCPT carries NOTIFY and ORCPT
 *     (RFC 3461 §4.1-4.2) only to a DSN server.</li>
 * <li>With PIPELINING, MAIL and the RCPTs go out in one write (in groups of
 *     {@link ClientLimits#MAX_PIPELINED_COMMANDS}), then the replies are read in order (RFC 2920 §3.1);
 *     DATA waits for them. Without it, one command per round trip.</li>
 * <li>MAIL refused: every recipient gets that reply. RCPT: 2xx accepted, 4xx temporary, 5xx permanent, per
 *     recipient. No recipient accepted: no DATA.</li>
 * <li>The reply to DATA, and then to the final dot, applies to every recipient accepted at RCPT
 *     (RFC 5321 §4.2.5 for one reply after the dot).</li>
 * <li>A timeout, a closed connection or a reply that is not SMTP breaks the session: every recipient not yet
 *     answered is a temporary failure, never delivered, also when the connection drops after the whole
 *     message went out (RFC 5321 §6.1: a duplicate is better than a loss). A message that cannot be read
 *     mid-DATA also breaks it: we may not end a partial message with the dot.</li>
 * </ol>
 */
final class Transaction {
    private final ClientConnection conn;
    private final String host;
    private final Capabilities caps;
    private final ClientSettings.Timeouts timeouts;
    private final Envelope envelope;
    private final OutboundMessage message;
    /** Per recipient: null while undecided (not yet answered, or accepted at RCPT and waiting for the dot). */
    private final RecipientOutcome[] outcomes;
    private boolean broken;

    Transaction(ClientConnection conn, String host, Capabilities caps, ClientSettings.Timeouts timeouts,
                Envelope envelope, OutboundMessage message) {
        this.conn = conn;
        this.host = host;
        this.caps = caps;
        this.timeouts = timeouts;
        this.envelope = envelope;
        this.message = message;
        this.outcomes = new RecipientOutcome[envelope.recipients().size()];
    }

    /** The message could not be read from the caller's store: our failure, not the server's. */
    private static final class MessageUnreadable extends Exception {
        MessageUnreadable(IOException cause) {
            super("cannot read the message: " + cause.getMessage(), cause, false, false);
        }
    }

    /** Whether the session's stream is out of step and must be closed. */
    boolean broken() {
        return broken;
    }

    List<RecipientResult> run() {
        boolean utf8 = envelope.needsUtf8() || message.needsSmtpUtf8();
        if (utf8 && !caps.smtpUtf8()) {
            return all(envelope, new RecipientOutcome.PermanentFailure(host, envelope.needsUtf8()
                    ? Diagnosis.Local.of("5.6.7", host + " does not support SMTPUTF8, which the non-ASCII addresses need (RFC 6531)")
                    : Diagnosis.Local.of("5.6.9", host + " does not support SMTPUTF8, which the UTF-8 header needs (RFC 6531)")));
        }
        if (caps.sizeLimit().isPresent() && message.size() > caps.sizeLimit().getAsLong()) {
            return all(envelope, new RecipientOutcome.PermanentFailure(host, Diagnosis.Local.of("5.3.4",
                    "message of " + message.size() + " octets exceeds the limit of " + host + ", "
                            + caps.sizeLimit().getAsLong() + " octets (RFC 1870)")));
        }
        boolean sevenBit = message.eightBit() && !caps.eightBitMime();
        InputStream body = null;
        boolean afterDot = false;
        try {
            // Opened before MAIL: a message the store cannot give fails here, with nothing on the wire.
            body = open(sevenBit);
            if (envelope(utf8) && accepted() > 0) {
                afterDot = data(body);
                if (afterDot) finalReply();
            }
        } catch (MessageUnreadable e) {
            broken = body != null;   // mid-DATA: the server has part of the message; only closing ends it
            decideRest(RecipientOutcome.failure(host, Diagnosis.Local.of("4.3.0", e.getMessage())));
        } catch (IOException e) {
            broken = true;
            Diagnosis.Local lost = SmtpClient.lost(e);
            if (afterDot) lost = new Diagnosis.Local(lost.status(), lost.text()
                    + " (after the whole message was sent: it may arrive twice when retried)");
            decideRest(RecipientOutcome.failure(host, lost));
        } finally {
            closeQuietly(body);
        }
        List<RecipientResult> results = new ArrayList<>(outcomes.length);
        for (int i = 0; i < outcomes.length; i++) {
            results.add(new RecipientResult(envelope.recipients().get(i).address(), outcomes[i]));
        }
        return results;
    }

    private InputStream open(boolean sevenBit) throws MessageUnreadable {
        try {
            return sevenBit ? message.openSevenBit() : message.open();
        } catch (IOException e) {
            throw new MessageUnreadable(e);
        }
    }

    /**
     * MAIL and the RCPTs. Returns false when MAIL was refused (every recipient then has that reply).
     */
    private boolean envelope(boolean utf8) throws IOException {
        List<String> commands = new ArrayList<>(outcomes.length + 1);
        commands.add(mailCommand(utf8));
        for (Envelope.Recipient r : envelope.recipients()) commands.add(rcptCommand(r));
        int group = caps.pipelining() ? ClientLimits.MAX_PIPELINED_COMMANDS : 1;
        RecipientOutcome.Failure mailRefused = null;
        for (int next = 0; next < commands.size() && mailRefused == null; ) {
            int end = Math.min(next + group, commands.size());
            for (int i = next; i < end; i++) conn.command(commands.get(i));
            for (int i = next; i < end; i++) {
                boolean mail = i == 0;
                SmtpReply r = conn.reply(mail ? timeouts.mail() : timeouts.rcpt(), mail ? "MAIL" : "RCPT");
                int c = r.code() / 100;
                if (c != 2 && c != 4 && c != 5) throw unexpected(mail ? "MAIL" : "RCPT", r);
                if (mail) {
                    if (c != 2) mailRefused = RecipientOutcome.failure(host, r);
                } else if (c != 2 && mailRefused == null) {
                    outcomes[i - 1] = RecipientOutcome.failure(host, r);
                }
                // With MAIL refused, the pipelined RCPTs' replies (503 mostly) are read only to stay in step.
            }
            next = end;
        }
        if (mailRefused != null) {
            Arrays.fill(outcomes, mailRefused);
            return false;
        }
        return true;
    }

    String mailCommand(boolean utf8) {
        StringBuilder sb = new StringBuilder("MAIL FROM:").append(envelope.sender());
        if (!caps.esmtp()) return sb.toString();   // after HELO no parameter is allowed (RFC 5321 §4.1.1.2)
        if (caps.size()) sb.append(" SIZE=").append(message.size());
        if (message.eightBit() && caps.eightBitMime()) sb.append(" BODY=8BITMIME");
        if (utf8) sb.append(" SMTPUTF8");
        if (caps.dsn()) {
            envelope.ret().ifPresent(ret -> sb.append(" RET=").append(ret));
            envelope.envelopeId().ifPresent(id -> sb.append(" ENVID=").append(Xtext.encode(id)));
        }
        return sb.toString();
    }

    String rcptCommand(Envelope.Recipient r) {
        StringBuilder sb = new StringBuilder("RCPT TO:<").append(r.address()).append('>');
        if (caps.dsn()) {
            if (!r.notifyOn().isEmpty()) {
                sb.append(" NOTIFY=").append(r.notifyOn().stream().sorted().map(Enum::name).collect(Collectors.joining(",")));
            }
            r.originalRecipient().ifPresent(o -> sb.append(" ORCPT=").append(Envelope.Recipient.orcptParameter(o)));
        }
        return sb.toString();
    }

    /** DATA and the message. Returns true when the whole message and its dot were sent. */
    private boolean data(InputStream body) throws IOException, MessageUnreadable {
        conn.command("DATA");
        SmtpReply r = conn.reply(timeouts.dataInitiation(), "DATA");
        if (r.code() != 354) {
            int c = r.code() / 100;
            if (c != 4 && c != 5) throw unexpected("DATA", r);
            decideRest(RecipientOutcome.failure(host, r));
            return false;
        }
        OutputStream out = conn.body(timeouts.dataBlock());
        DotStuffing stuffed = DotStuffing.all(out);
        byte[] buf = new byte[ClientLimits.DATA_BLOCK];
        while (true) {
            int n;
            try {
                n = body.read(buf);
            } catch (IOException e) {
                throw new MessageUnreadable(e);
            }
            if (n < 0) break;
            stuffed.write(buf, 0, n);
        }
        stuffed.finish();
        conn.flush();
        return true;
    }

    private void finalReply() throws IOException {
        SmtpReply r = conn.reply(timeouts.dataTermination(), "the end of the message");
        switch (r.code() / 100) {
            case 2 -> decideRest(new RecipientOutcome.Delivered(host, r));
            case 4, 5 -> decideRest(RecipientOutcome.failure(host, r));
            default -> throw unexpected("the end of the message", r);
        }
    }

    private int accepted() {
        int n = 0;
        for (RecipientOutcome o : outcomes) if (o == null) n++;
        return n;
    }

    private void decideRest(RecipientOutcome outcome) {
        for (int i = 0; i < outcomes.length; i++) if (outcomes[i] == null) outcomes[i] = outcome;
    }

    private static ReplyReader.BadReplyException unexpected(String what, SmtpReply r) {
        return new ReplyReader.BadReplyException("unexpected reply to " + what + ": " + new Diagnosis.Remote(r).text());
    }

    private static void closeQuietly(InputStream in) {
        if (in == null) return;
        try {
            in.close();
        } catch (IOException ignored) {
            // the outcome is decided; a store that fails to close a stream does not change it
        }
    }

    /** Every recipient with the same outcome. */
    static List<RecipientResult> all(Envelope envelope, RecipientOutcome outcome) {
        return envelope.recipients().stream().map(r -> new RecipientResult(r.address(), outcome)).toList();
    }
}
