package org.postern.wire.smtp.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.wire.io.WireInput;
import org.postern.wire.smtp.EnhancedStatus;
import org.postern.wire.smtp.SmtpReply;

/** Reply parsing, its limits, EHLO keywords and xtext: table-driven, no sockets needed. */
class SmtpClientReplyTest {
    static SmtpReply read(String wire) throws IOException {
        WireInput in = new WireInput(new ByteArrayInputStream(wire.getBytes(UTF_8)), ClientLimits.MAX_REPLY_LINE, () -> {});
        return ReplyReader.read(in);
    }

    @Test
    void parsesReplies() throws IOException {
        record Case(String wire, SmtpReply expected) {}
        for (Case k : List.of(
                new Case("220 mx.example ESMTP\r\n", SmtpReply.plain(220, "mx.example ESMTP")),
                new Case("250\r\n", SmtpReply.plain(250, "")),
                new Case("250 \r\n", SmtpReply.plain(250, "")),
                new Case("550 5.1.1 no such user\r\n", SmtpReply.of(550, "5.1.1", "no such user")),
                new Case("550 5.1.1\r\n", SmtpReply.of(550, "5.1.1", "")),
                new Case("550-5.7.1 first\r\n550-5.7.1 second\r\n550 5.7.1 third\r\n",
                        SmtpReply.multi(550, "5.7.1", List.of("first", "second", "third"))),
                new Case("250-mx.example\r\n250-PIPELINING\r\n250 SIZE 100\r\n", SmtpReply.plain(250, "mx.example", "PIPELINING", "SIZE 100")),
                // a status whose class does not match the code is text, not a status (RFC 3463 §3)
                new Case("550 4.1.1 odd\r\n", SmtpReply.plain(550, "4.1.1 odd")),
                new Case("250 2.0.0.0 not a status\r\n", SmtpReply.plain(250, "2.0.0.0 not a status")),
                new Case("421 bare LF\n", SmtpReply.plain(421, "bare LF")),
                new Case("250 tab\there\r\n", SmtpReply.plain(250, "tab here")),
                new Case("250 caf\u00e9\r\n", SmtpReply.plain(250, "caf\u00e9")))) {
            assertThat(read(k.wire())).as(k.wire()).isEqualTo(k.expected());
        }
    }

    @Test
    void refusesWhatIsNotAReply() {
        String longLine = "250 " + "x".repeat(ClientLimits.MAX_REPLY_LINE - 5) + "\r\n";   // one byte over
        String manyLines = "250-x\r\n".repeat(ClientLimits.MAX_REPLY_LINES) + "250 x\r\n";
        String manyBytes = ("250-" + "x".repeat(1000) + "\r\n").repeat(17) + "250 x\r\n";
        record Case(String name, String wire, String message) {}
        for (Case k : List.of(
                new Case("too short", "25\r\n", "too short"),
                new Case("no code", "hello\r\n", "does not start with a code"),
                new Case("1yz", "150 x\r\n", "out of range"),
                new Case("6yz", "650 x\r\n", "out of range"),
                new Case("bad separator", "250_x\r\n", "no space or dash"),
                new Case("code changes", "250-a\r\n251 b\r\n", "changed"),
                new Case("too many lines", manyLines, "lines"),
                new Case("too many bytes", manyBytes, "bytes"),
                new Case("closed mid-reply", "250-a\r\n", "closed"),
                new Case("line too long", longLine, "longer than"))) {
            assertThatThrownBy(() -> read(k.wire())).as(k.name()).isInstanceOf(IOException.class).hasMessageContaining(k.message());
        }
    }

    @Test
    void limitsAreExact() throws IOException {
        String longest = "250 " + "x".repeat(ClientLimits.MAX_REPLY_LINE - 6) + "\r\n";   // exactly the limit with CRLF
        assertThat(longest.length()).isEqualTo(ClientLimits.MAX_REPLY_LINE);
        assertThat(read(longest).lines().getFirst()).hasSize(ClientLimits.MAX_REPLY_LINE - 6);
        String most = "250-x\r\n".repeat(ClientLimits.MAX_REPLY_LINES - 1) + "250 x\r\n";
        assertThat(read(most).lines()).hasSize(ClientLimits.MAX_REPLY_LINES);
    }

    @Test
    void controlCharactersInTextBecomeSpaces() throws IOException {
        assertThat(read("550 a\u0000b\u001bc\u007fd\r\n").lines()).containsExactly("a b c d");
    }

    @Test
    void parsesEhloKeywords() {
        record Case(List<String> lines, Capabilities expected) {}
        Capabilities none = new Capabilities(true, false, false, OptionalLong.empty(), false, false, false, false, false, false, Set.of());
        for (Case k : List.of(
                new Case(List.of(), none),
                new Case(List.of("SIZE"), new Capabilities(true, false, true, OptionalLong.empty(), false, false, false, false, false, false, Set.of())),
                new Case(List.of("SIZE 0"), new Capabilities(true, false, true, OptionalLong.empty(), false, false, false, false, false, false, Set.of())),
                new Case(List.of("SIZE abc"), new Capabilities(true, false, true, OptionalLong.empty(), false, false, false, false, false, false, Set.of())),
                new Case(List.of("SIZE 99999999999999999999"), new Capabilities(true, false, true, OptionalLong.empty(), false, false, false, false, false, false, Set.of())),
                new Case(List.of("size 1000"), new Capabilities(true, false, true, OptionalLong.of(1000), false, false, false, false, false, false, Set.of())),
                new Case(List.of("STARTTLS", "8BITMIME"), new Capabilities(true, false, false, OptionalLong.empty(), true, false, true, false, false, false, Set.of())),
                new Case(List.of("AUTH"), none),
                new Case(List.of("AUTH plain login", "AUTH=LOGIN"), new Capabilities(true, false, false, OptionalLong.empty(), false, false, false, false, false, false, Set.of("PLAIN", "LOGIN"))),
                new Case(List.of("  PIPELINING  ", "X-EXPS GSSAPI"), new Capabilities(true, true, false, OptionalLong.empty(), false, false, false, false, false, false, Set.of())))) {
            List<String> all = new java.util.ArrayList<>(List.of("mx.example hello"));
            all.addAll(k.lines());
            assertThat(Capabilities.parse(SmtpReply.plain(250, all.toArray(String[]::new)))).as(k.lines().toString()).isEqualTo(k.expected());
        }
    }

    @Test
    void encodesXtext() {
        record Case(String in, String out) {}
        for (Case k : List.of(
                new Case("abc@example.org", "abc@example.org"),
                new Case("a+b=c", "a+2Bb+3Dc"),
                new Case("with space", "with+20space"),
                new Case("~!", "~!"),
                new Case("caf\u00e9", "caf+C3+A9"))) {
            assertThat(Xtext.encode(k.in())).isEqualTo(k.out());
        }
    }

    @Test
    void diagnosisCarriesTheWholeReplyForTheDsn() {
        Diagnosis.Remote d = new Diagnosis.Remote(SmtpReply.multi(550, "5.1.1", List.of("no such user", "see https://example.org")));
        assertThat(d.diagnosticCode()).isEqualTo("smtp; 550 5.1.1 no such user see https://example.org");
        assertThat(d.status()).isEqualTo(EnhancedStatus.parse("5.1.1"));
        assertThat(new Diagnosis.Remote(SmtpReply.plain(421, "busy")).status()).isEqualTo(EnhancedStatus.parse("4.0.0"));
        assertThat(ReplyReader.enhancedStatus("2.1.0 ok", 250)).hasValue(EnhancedStatus.parse("2.1.0"));
        assertThat(ReplyReader.enhancedStatus("2.1.0 ok", 550)).isEqualTo(Optional.empty());
    }

    @Test
    void envelopeChecksItsDsnValues() {
        var addr = org.postern.wire.address.EmailAddress.parse("b@example.org");
        assertThatThrownBy(() -> new Envelope.Recipient(addr, Set.of(Envelope.Notify.NEVER, Envelope.Notify.DELAY), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Envelope(new org.postern.wire.address.Path.Null(), List.of(Envelope.Recipient.of(addr)),
                Optional.of("x".repeat(ClientLimits.MAX_ENVID + 1)), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Envelope(new org.postern.wire.address.Path.Null(), List.of(Envelope.Recipient.of(addr)),
                Optional.of("new\r\nline"), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        new Envelope(new org.postern.wire.address.Path.Null(), List.of(Envelope.Recipient.of(addr)),
                Optional.of("x".repeat(ClientLimits.MAX_ENVID)), Optional.empty());
    }
}
