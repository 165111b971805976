package org.postern.wire.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.EnumSet;
import java.util.Optional;
import org.postern.wire.dsn.EnvelopeId;
import org.postern.wire.dsn.Notify;
import org.postern.wire.dsn.OriginalRecipient;
import org.postern.wire.dsn.Ret;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.postern.wire.address.EmailAddress;
import org.postern.wire.address.Path;
import org.postern.wire.smtp.MailParams.Body;
import org.postern.wire.smtp.SmtpCommand.*;

class SmtpParserTest {
    record Case(String line, SmtpCommand expected) {}

    private static Path box(String s) {
        return new Path.Mailbox(EmailAddress.parse(s, true));
    }

    private static MailParams params(long size, Body body, boolean utf8) {
        return new MailParams(size < 0 ? OptionalLong.empty() : OptionalLong.of(size), body, utf8, Optional.empty());
    }

    @Test
    void parsesCommands() {
        for (var c : List.of(
                new Case("HELO client.example", new Helo("client.example")),
                new Case("helo client.example", new Helo("client.example")),
                new Case("EHLO [192.0.2.1]", new Ehlo("[192.0.2.1]")),
                new Case("eHlO client.example  ", new Ehlo("client.example")),
                new Case("MAIL FROM:<a@b.example>", new MailFrom(box("a@b.example"), MailParams.NONE)),
                new Case("mail from:<a@b.example>", new MailFrom(box("a@b.example"), MailParams.NONE)),
                new Case("MAIL FROM: <a@b.example>", new MailFrom(box("a@b.example"), MailParams.NONE)),
                new Case("MAIL FROM:<>", new MailFrom(new Path.Null(), MailParams.NONE)),
                new Case("MAIL FROM:<@hop.example:a@b.example>", new MailFrom(box("a@b.example"), MailParams.NONE)),
                new Case("MAIL FROM:<a@b.example> SIZE=1000", new MailFrom(box("a@b.example"), params(1000, Body.SEVEN_BIT, false))),
                new Case("MAIL FROM:<a@b.example> size=0 body=8bitmime", new MailFrom(box("a@b.example"), params(0, Body.EIGHT_BIT_MIME, false))),
                new Case("MAIL FROM:<a@b.example> BODY=BINARYMIME", new MailFrom(box("a@b.example"), params(-1, Body.BINARY_MIME, false))),
                new Case("MAIL FROM:<a@b.example> BODY=7BIT", new MailFrom(box("a@b.example"), params(-1, Body.SEVEN_BIT, false))),
                new Case("MAIL FROM:<a@b.example> SIZE=12345678901234567890", new MailFrom(box("a@b.example"), params(Long.MAX_VALUE, Body.SEVEN_BIT, false))),
                new Case("MAIL FROM:<jösé@b.example> SMTPUTF8", new MailFrom(box("jösé@b.example"), params(-1, Body.SEVEN_BIT, true))),
                new Case("MAIL FROM:<a@b.example> AUTH=<>", new MailFrom(box("a@b.example"),
                        new MailParams(OptionalLong.empty(), Body.SEVEN_BIT, false, Optional.of("<>")))),
                new Case("MAIL FROM:<a@b.example> AUTH=x+2By@b.example", new MailFrom(box("a@b.example"),
                        new MailParams(OptionalLong.empty(), Body.SEVEN_BIT, false, Optional.of("x+y@b.example")))),
                new Case("MAIL FROM:<\"a b\"@b.example>", new MailFrom(box("\"a b\"@b.example"), MailParams.NONE)),
                new Case("RCPT TO:<c@d.example>", new RcptTo(box("c@d.example"), RcptParams.NONE)),
                new Case("rcpt to: <c@d.example>", new RcptTo(box("c@d.example"), RcptParams.NONE)),
                new Case("RCPT TO:<Postmaster>", new RcptTo(new Path.Postmaster(), RcptParams.NONE)),
                // RFC 3461 §4.1, §4.2: NOTIFY and ORCPT (xtext-decoded)
                new Case("RCPT TO:<c@d.example> NOTIFY=success,FAILURE ORCPT=rfc822;c+2Bx@d.example",
                        new RcptTo(box("c@d.example"), new RcptParams(
                                Optional.of(new Notify(EnumSet.of(Notify.Condition.SUCCESS, Notify.Condition.FAILURE))),
                                Optional.of(OriginalRecipient.rfc822("c+x@d.example"))))),
                new Case("RCPT TO:<c@d.example> NOTIFY=NEVER", new RcptTo(box("c@d.example"),
                        new RcptParams(Optional.of(Notify.NEVER), Optional.empty()))),
                // RFC 3461 §4.3, §4.4: RET and ENVID
                new Case("MAIL FROM:<a@b.example> RET=hdrs ENVID=QQ+2B314", new MailFrom(box("a@b.example"),
                        new MailParams(OptionalLong.empty(), Body.SEVEN_BIT, false, Optional.empty(), Optional.of(Ret.HDRS),
                                Optional.of(new EnvelopeId("QQ+314"))))),
                new Case("DATA", new Data()),
                new Case("data", new Data()),
                new Case("BDAT 0 LAST", new Bdat(0, true)),
                new Case("BDAT 1000", new Bdat(1000, false)),
                new Case("bdat 12 last", new Bdat(12, true)),
                new Case("RSET", new Rset()),
                new Case("NOOP", new Noop()),
                new Case("NOOP whatever you like", new Noop()),
                new Case("QUIT", new Quit()),
                new Case("VRFY someone", new Vrfy("someone")),
                new Case("EXPN list", new Expn("list")),
                new Case("HELP", new Help(Optional.empty())),
                new Case("HELP MAIL", new Help(Optional.of("MAIL"))),
                new Case("STARTTLS", new StartTls()),
                new Case("AUTH PLAIN", new Auth("PLAIN", Optional.empty())),
                new Case("auth plain AGEAYg==", new Auth("PLAIN", Optional.of("AGEAYg=="))),
                new Case("AUTH LOGIN =", new Auth("LOGIN", Optional.of("="))))) {
            assertThat(SmtpParser.parse(c.line())).as(c.line()).isEqualTo(c.expected());
        }
    }

    @Test
    void rcptTakesUtf8OnlyInAUtf8Transaction() {
        assertThat(SmtpParser.parse("RCPT TO:<jösé@d.example>", true)).isEqualTo(new RcptTo(box("jösé@d.example"), RcptParams.NONE));
        // RFC 6531 §3.5: 553 with 5.6.7, not a syntax error
        var e = catchThrowableOfType(SmtpSyntaxException.class, () -> SmtpParser.parse("RCPT TO:<jösé@d.example>", false));
        assertThat(e.reply().toString()).startsWith("553 5.6.7 ");
        e = catchThrowableOfType(SmtpSyntaxException.class, () -> SmtpParser.parse("MAIL FROM:<a@bü.example>"));
        assertThat(e.reply().toString()).startsWith("553 5.6.7 ");
    }

    @Test
    void argumentLimitsAreAcceptedAtTheLimitAndRefusedOnePast() {
        String domain255 = "d".repeat(251) + ".org";
        assertThat(SmtpParser.parse("EHLO " + domain255)).isEqualTo(new Ehlo(domain255));
        assertThat(SmtpParser.parse("HELO " + domain255)).isEqualTo(new Helo(domain255));
        assertThat(SmtpParser.parse("AUTH " + "M".repeat(20))).isEqualTo(new Auth("M".repeat(20), Optional.empty()));
        assertThat(SmtpParser.parse("BDAT " + "9".repeat(18))).isEqualTo(new Bdat(999_999_999_999_999_999L, false));
        assertThat(SmtpParser.parse("MAIL FROM:<a@b.example> SIZE=" + "9".repeat(20)))
                .isEqualTo(new MailFrom(box("a@b.example"), params(Long.MAX_VALUE, Body.SEVEN_BIT, false)));
        for (String bad : List.of("EHLO x" + domain255, "HELO x" + domain255, "AUTH " + "M".repeat(21), "BDAT " + "9".repeat(19),
                "MAIL FROM:<a@b.example> SIZE=" + "9".repeat(21))) {
            var e = catchThrowableOfType(SmtpSyntaxException.class, () -> SmtpParser.parse(bad));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.reply().toString()).as(bad).startsWith("501 5.5.4 ");
        }
    }

    record Bad(String line, String reply) {}

    @Test
    void refusesBadCommandsWithTheRightReply() {
        for (var c : List.of(
                new Bad("", "500 5.5.1"),
                new Bad("GET / HTTP/1.1", "500 5.5.1"),
                new Bad("MAILFROM:<a@b.example>", "500 5.5.1"),
                new Bad("XYZZY", "500 5.5.1"),
                new Bad("HELO", "501 5.5.4"),
                new Bad("EHLO two words", "501 5.5.4"),
                new Bad("EHLO a\tb", "500 5.5.2"),
                new Bad("EHLO \uFFFD", "500 5.5.2"),
                new Bad("MAIL", "501 5.5.4"),
                new Bad("MAIL TO:<a@b.example>", "501 5.5.4"),
                new Bad("MAIL FROM:a@b.example", "501 5.1.7"),
                new Bad("MAIL FROM:<a@b.example", "501 5.1.7"),
                new Bad("MAIL FROM:<a b@b.example>", "501 5.1.7"),
                new Bad("MAIL FROM:<Postmaster>", "501 5.1.7"),
                new Bad("MAIL FROM:<jösé@b.example>", "553 5.6.7"),
                new Bad("MAIL FROM:<a@b.example>SIZE=1", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> SIZE=abc", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> SIZE=", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> SIZE=1 SIZE=2", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> BODY=9BIT", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> SMTPUTF8=yes", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> AUTH=+zz", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> AUTH=a+4", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> -BAD", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> RET=NONE", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> RET=FULL RET=HDRS", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> ENVID=a+zz", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> ENVID", "501 5.5.4"),
                new Bad("MAIL FROM:<a@b.example> X-UNKNOWN", "555 5.5.4"),
                new Bad("RCPT TO:<>", "501 5.1.3"),
                new Bad("RCPT TO:c@d.example", "501 5.1.3"),
                new Bad("RCPT TO:<c@@d.example>", "501 5.1.3"),
                new Bad("RCPT TO:<c@d.example> NOTIFY=NEVER,DELAY", "501 5.5.4"),
                new Bad("RCPT TO:<c@d.example> NOTIFY=SOMETIMES", "501 5.5.4"),
                new Bad("RCPT TO:<c@d.example> NOTIFY=NEVER NOTIFY=NEVER", "501 5.5.4"),
                new Bad("RCPT TO:<c@d.example> ORCPT=c@d.example", "501 5.5.4"),
                new Bad("RCPT TO:<c@d.example> X-FOO=1", "555 5.5.4"),
                new Bad("RCPT TO:<c@d.example> =x", "501 5.5.4"),
                new Bad("RCPT FROM:<c@d.example>", "501 5.5.4"),
                new Bad("DATA now", "501 5.5.4"),
                new Bad("QUIT please", "501 5.5.4"),
                new Bad("STARTTLS x", "501 5.5.4"),
                new Bad("BDAT", "501 5.5.4"),
                new Bad("BDAT -1", "501 5.5.4"),
                new Bad("BDAT 10 FIRST", "501 5.5.4"),
                new Bad("BDAT 1234567890123456789", "501 5.5.4"),
                new Bad("BDAT 1 LAST x", "501 5.5.4"),
                new Bad("VRFY", "501 5.5.4"),
                new Bad("AUTH", "501 5.5.4"),
                new Bad("AUTH PL@IN", "501 5.5.4"),
                new Bad("AUTH PLAIN a b", "501 5.5.4"))) {
            var e = catchThrowableOfType(SmtpSyntaxException.class, () -> SmtpParser.parse(c.line()));
            assertThat(e).as(c.line()).isNotNull();
            assertThat(e.reply().toString()).as(c.line()).startsWith(c.reply() + " ");
        }
    }

    @Test
    void unknownCommandIsDistinguishedFromBadArguments() {
        assertThat(catchThrowableOfType(SmtpSyntaxException.class, () -> SmtpParser.parse("FOO")).unknownCommand()).isTrue();
        assertThat(catchThrowableOfType(SmtpSyntaxException.class, () -> SmtpParser.parse("MAIL")).unknownCommand()).isFalse();
    }

    @Test
    void authNeverShowsItsInitialResponse() {
        assertThat(SmtpParser.parse("AUTH PLAIN AGEAc2VjcmV0").toString()).doesNotContain("AGEAc2VjcmV0");
    }
}
