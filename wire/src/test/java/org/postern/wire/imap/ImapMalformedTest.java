package org.postern.wire.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** Lines that must get BAD, with the tag when one could be read (RFC 9051 §7.1.3). */
class ImapMalformedTest {
    /** A line, the tag the BAD must carry (empty: "* BAD"), and a fragment of the message. */
    record Bad(String line, Optional<String> tag, String problem) {}

    private static Bad bad(String line, String tag, String problem) {
        return new Bad(line, Optional.of(tag), problem);
    }

    private static Bad untagged(String line, String problem) {
        return new Bad(line, Optional.empty(), problem);
    }

    @Test
    void refusesMalformedCommandsWithTheTagWhenOneWasRead() {
        var soft = new SoftAssertions();
        for (var c : List.of(
                untagged("", "empty"),
                bad("NOOP", "NOOP", "a space"),   // no tag: the keyword is taken as the tag (Dovecot answers "NOOP BAD" too)
                untagged(" NOOP", "missing tag"),
                untagged("+ NOOP", "invalid tag"),
                untagged("a*b NOOP", "invalid character in tag"),
                untagged("a{1} NOOP", "invalid character in tag"),
                untagged("a\"b NOOP", "invalid character in tag"),
                untagged("a(b NOOP", "invalid character in tag"),
                untagged("a%b NOOP", "invalid character in tag"),
                untagged("a\\b NOOP", "invalid character in tag"),
                untagged("a+b NOOP", "invalid character in tag"),
                untagged("tåg NOOP", "invalid character in tag"),   // tags are ASCII
                bad("a", "a", "a space"),
                bad("a FROB", "a", "unknown command"),
                bad("a  NOOP", "a", "atom"),
                bad("a NOOP x", "a", "unexpected characters"),
                bad("a LOGOUT now", "a", "unexpected characters"),
                bad("a LOGIN onlyuser", "a", "a space"),
                bad("a LOGIN \"unterminated", "a", "unterminated"),
                bad("a LOGIN \"bad\\escape\" x", "a", "invalid escape"),
                bad("a SELECT", "a", "a space"),
                bad("a SELECT INBOX (CONDSTORE", "a", "')'"),
                bad("a SELECT INBOX CONDSTORE)", "a", "'('"),
                bad("a SELECT INBOX (BOGUS)", "a", "unknown SELECT parameter"),
                bad("a SELECT INBOX (QRESYNC (0 1))", "a", "UIDVALIDITY"),
                bad("a SELECT INBOX (QRESYNC (1 0))", "a", "non-zero"),
                bad("a SELECT INBOX (QRESYNC (1 2 1:*))", "a", "sequence set"),   // RFC 7162: no "*" in known-uids
                bad("a SELECT INBOX (QRESYNC (1 2 1:5 (1:2)))", "a", "a space"),
                bad("a STATUS INBOX (MESSAGES", "a", "')'"),
                bad("a STATUS INBOX (BOGUS)", "a", "unknown status item"),
                bad("a STATUS INBOX (DELETED_STORAGE)", "a", "unknown status item"),   // only the wire name
                bad("a STATUS INBOX ()", "a", "atom"),
                bad("a CREATE x (USE (Drafts))", "a", "start with \\"),
                bad("a CREATE x (FOO (\\Drafts))", "a", "unknown CREATE parameter"),
                bad("a LIST \"\"", "a", "a space"),
                bad("a LIST (SUBSCRIBED \"\" *", "a", "atom"),
                bad("a LIST \"\" * RETURN (CHILDREN", "a", "')'"),
                bad("a LIST \"\" * RETURNS ()", "a", "RETURN"),
                bad("a FETCH 0 FLAGS", "a", "0 is not a message number"),
                bad("a FETCH 0:5 FLAGS", "a", "0 is not a message number"),
                bad("a FETCH 1:0 FLAGS", "a", "0 is not a message number"),
                bad("a FETCH -1 FLAGS", "a", "invalid sequence set"),
                bad("a FETCH 1, FLAGS", "a", "invalid sequence set"),
                bad("a FETCH ,1 FLAGS", "a", "invalid sequence set"),
                bad("a FETCH 1:2:3 FLAGS", "a", "a space"),
                bad("a FETCH 4294967296 FLAGS", "a", "too large"),   // RFC 9051 §9: nz-number is 32-bit
                bad("a FETCH $,1 FLAGS", "a", "a space"),   // RFC 5182: "$" stands alone
                bad("a FETCH x FLAGS", "a", "invalid sequence set"),
                bad("a STORE 1 FLAGS (\\Seen", "a", "')'"),
                bad("a STORE 1 FLAG (\\Seen)", "a", "FLAGS"),
                bad("a STORE 1 +FLAGS", "a", "a space"),
                bad("a STORE 1 (UNCHANGEDSINCE) FLAGS ()", "a", "a space"),
                bad("a STORE 1 (FOO 1) FLAGS ()", "a", "unknown STORE modifier"),
                bad("a STORE 1 FLAGS (\\)", "a", "flag"),
                bad("a COPY 1", "a", "a space"),
                bad("a UID", "a", "a space"),
                bad("a UID NOOP", "a", "UID must be followed"),
                bad("a UID EXPUNGE", "a", "a space"),
                bad("a APPEND INBOX", "a", "a space"),
                bad("a APPEND INBOX (\\Seen) hello", "a", "message literal"),
                bad("a APPEND INBOX \"7-Feb-1994 21:52 -0800\" {5}", "a", "date-time"),
                bad("a APPEND INBOX \"31-Apr-2024 21:52:25 -0800\" {5}", "a", "invalid date"),
                bad("a APPEND INBOX \"7-Fev-1994 21:52:25 -0800\" {5}", "a", "month"),
                bad("a APPEND INBOX \"7-Feb-1994 25:52:25 -0800\" {5}", "a", "invalid date-time"),
                bad("a APPEND INBOX \"7-Feb-1994 21:52:25 +2500\" {5}", "a", "invalid date-time"),
                bad("a APPEND INBOX UTF8 ({5}", "a", "literal8"),
                bad("a APPEND INBOX {5} x", "a", "must end the line"),
                bad("a APPEND INBOX {x}", "a", "without a size"),
                bad("a AUTHENTICATE", "a", "a space"),
                bad("a AUTHENTICATE PLAIN !!!", "a", "initial response"),
                bad("a ENABLE", "a", "a space"),
                bad("a ID", "a", "a space"),
                bad("a ID (\"name\")", "a", "a space"),
                bad("a ID (name x)", "a", "string"),
                bad("a SETQUOTA \"\" (STORAGE)", "a", "a space"),
                bad("a SETQUOTA \"\" (STORAGE x)", "a", "number"),
                bad("a SEARCH", "a", "a space"),
                bad("a GETQUOTA", "a", "a space"))) {
            var e = catchThrowableOfType(ImapSyntaxException.class,
                    () -> ImapParser.parse(c.line().getBytes(StandardCharsets.UTF_8), ImapParser.NO_LITERALS, true));
            if (e == null) {
                soft.fail("accepted: " + c.line());
                continue;
            }
            soft.assertThat(e.tag()).as(c.line()).isEqualTo(c.tag());
            soft.assertThat(e.getMessage()).as(c.line()).contains(c.problem());
            soft.assertThat(e.closeConnection()).as(c.line()).isFalse();
        }
        soft.assertAll();
    }

    @Test
    void refusesInvalidUtf8InStrings() {
        byte[] line = {'a', ' ', 'S', 'E', 'L', 'E', 'C', 'T', ' ', '"', (byte) 0xC3, '"'};
        var e = catchThrowableOfType(ImapSyntaxException.class, () -> ImapParser.parse(line, ImapParser.NO_LITERALS, true));
        assertThat(e.getMessage()).contains("UTF-8");
        assertThat(e.tag()).contains("a");
    }

    @Test
    void recognisesDoneInAnyCase() {
        assertThat(ImapParser.isDone("DONE".getBytes())).isTrue();
        assertThat(ImapParser.isDone("done".getBytes())).isTrue();
        assertThat(ImapParser.isDone("a NOOP".getBytes())).isFalse();
    }
}
