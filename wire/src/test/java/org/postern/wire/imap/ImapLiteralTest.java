package org.postern.wire.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.wire.Secret;
import org.postern.wire.imap.ImapCommand.*;
import org.postern.wire.io.LineTooLongException;

/** Literals (RFC 9051 §4.3, RFC 7888 LITERAL+), their limits, and the APPEND streaming contract. */
class ImapLiteralTest {
    @Test
    void readsSynchronizingLiteralsAfterAskingForThemAndContinuesOnTheNextLine() throws Exception {
        var s = ImapScript.of("a LOGIN {3}\r\nbob {6}\r\nse cr\"\r\nb NOOP\r\n");
        assertThat(s.parse(false)).isEqualTo(new Login("a", "bob", Secret.of("se cr\"")));
        assertThat(s.continuationsSent).containsExactly(3L, 6L);
        assertThat(s.rest()).isEqualTo("b NOOP\r\n");
    }

    @Test
    void readsNonSynchronizingLiteralsWithoutAskingForThem() throws Exception {
        var s = ImapScript.of("a LOGIN {3+}\r\nbob {4+}\r\npass\r\n");
        assertThat(s.parse(false)).isEqualTo(new Login("a", "bob", Secret.of("pass")));
        assertThat(s.continuationsSent).isEmpty();
        assertThat(s.literalsRead).containsExactly(3L, 4L);
        assertThat(s.rest()).isEmpty();
    }

    @Test
    void literalsCarryBytesAQuotedStringCannot() throws Exception {
        // Thunderbird sends mailbox names with 8-bit or quote characters as literals
        var s = ImapScript.of("a SELECT {7}\r\na\r\nb\"cd\r\n");
        assertThat(s.parse(true)).isEqualTo(new Select("a", "a\r\nb\"cd", false, SelectOptions.NONE));
        var search = ImapScript.of("a UID SEARCH CHARSET UTF-8 SUBJECT {6}\r\nGrüß\r\n");
        assertThat(((Search) search.parse(true)).key()).isEqualTo(new SearchKey.Text(SearchKey.TextField.SUBJECT, "Grüß"));
        var id = ImapScript.of("a ID (\"name\" {5+}\r\nmutt) \"x\" NIL)\r\n");
        assertThat(id.parse(false)).isEqualTo(new Id("a", List.of(new IdField("name", Optional.of("mutt)")),
                new IdField("x", Optional.empty()))));
    }

    @Test
    void readsHeaderFieldNamesAndSavedResultsInFetch() throws Exception {
        var s = ImapScript.of("a UID FETCH $ (BODY.PEEK[HEADER.FIELDS ({7}\r\nSubject X-Spam)])\r\n");
        var f = (Fetch) s.parse(true);
        assertThat(f.set()).isEqualTo(SequenceSet.saved(true));
        assertThat(f.items()).containsExactly(new FetchItem.BodySection(true, new FetchItem.Section(List.of(),
                new FetchItem.SectionText.HeaderFields(List.of("Subject", "X-Spam"), false)), Optional.empty()));
    }

    @Test
    void appendStopsAtTheMessageLiteralAndLeavesItUnread() throws Exception {
        var s = ImapScript.of("A003 APPEND saved-messages (\\Seen) {5}\r\nhello\r\nA004 NOOP\r\n");
        var a = (Append) s.parse(true);
        assertThat(a.size()).isEqualTo(5);
        assertThat(a.synchronizing()).isTrue();
        assertThat(s.continuationsSent).isEmpty();   // the session sends "+ Ready" when it is ready to stream
        assertThat(s.rest()).isEqualTo("hello\r\nA004 NOOP\r\n");
        // the session streams 5 bytes, then hands over the rest of the line
        s.readLiteral(5, false);
        ImapParser.finishAppend(a, s.readLine());
        assertThat(s.parse(true)).isEqualTo(new Noop("A004"));
    }

    @Test
    void appendReadsEarlierLiteralsAndStillStopsAtTheMessage() throws Exception {
        var s = ImapScript.of("a APPEND {6+}\r\nDrafts (\\Draft) {100000000+}\r\n");
        var a = (Append) s.parse(true);
        assertThat(a).isEqualTo(new Append("a", "Drafts", List.of("\\Draft"), Optional.empty(), 100_000_000L, false,
                false, false));
        assertThat(s.literalsRead).containsExactly(6L);   // the mailbox name, not the 100 MB message
    }

    @Test
    void finishAppendAcceptsOnlyTheEndOfTheLineOrUtf8sParenthesis() {
        var plain = new Append("t", "INBOX", List.of(), Optional.empty(), 1, true, false, false);
        var utf8 = new Append("t", "INBOX", List.of(), Optional.empty(), 1, true, true, true);
        ImapParser.finishAppend(plain, new byte[0]);
        ImapParser.finishAppend(utf8, ")".getBytes());
        var e = catchThrowableOfType(ImapSyntaxException.class, () -> ImapParser.finishAppend(plain, " {5}".getBytes()));
        assertThat(e.tag()).contains("t");
        assertThat(catchThrowableOfType(ImapSyntaxException.class, () -> ImapParser.finishAppend(utf8, new byte[0])))
                .isNotNull();
    }

    @Test
    void acceptsALiteralAtTheLimitAndRefusesOneByteMore() throws Exception {
        for (boolean auth : List.of(true, false)) {
            long max = auth ? ImapLimits.MAX_LITERAL : ImapLimits.MAX_LITERAL_UNAUTHENTICATED;
            String name = "x".repeat((int) max);
            var ok = ImapScript.of("a LOGIN {" + max + "}\r\n" + name + " p\r\n");
            assertThat(ok.parse(auth)).isEqualTo(new Login("a", name, Secret.of("p")));

            var sync = ImapScript.of("a LOGIN {" + (max + 1) + "}\r\n");
            var e = catchThrowableOfType(ImapSyntaxException.class, () -> sync.parse(auth));
            assertThat(e.responseCode()).contains("TOOBIG");
            assertThat(e.tag()).contains("a");
            assertThat(e.closeConnection()).isFalse();   // the client waits for "+", which never comes
            assertThat(sync.literalsRead).isEmpty();

            var nonSync = ImapScript.of("a LOGIN {" + (max + 1) + "+}\r\n");
            var n = catchThrowableOfType(ImapSyntaxException.class, () -> nonSync.parse(auth));
            assertThat(n.responseCode()).contains("TOOBIG");
            assertThat(n.closeConnection()).isTrue();   // the bytes are already coming: BYE
        }
    }

    @Test
    void refusesLiteralsPastTheTotalBudgetOfOneCommand() throws Exception {
        // 10 literals of MAX_LITERAL reach MAX_LITERALS_TOTAL (1 MiB = 10.24 * 100 KiB); the 11th is over
        int fit = (int) (ImapLimits.MAX_LITERALS_TOTAL / ImapLimits.MAX_LITERAL);
        String chunk = "x".repeat((int) ImapLimits.MAX_LITERAL);
        var sb = new StringBuilder("a SEARCH");
        for (int i = 0; i < fit; i++) sb.append(" TEXT {").append(chunk.length()).append("+}\r\n").append(chunk);
        var ok = ImapScript.of(sb + "\r\n");
        assertThat(((SearchKey.And) ((Search) ok.parse(true)).key()).keys()).hasSize(fit);

        var over = ImapScript.of(sb + " TEXT {" + chunk.length() + "}\r\n");
        var e = catchThrowableOfType(ImapSyntaxException.class, () -> over.parse(true));
        assertThat(e.responseCode()).contains("TOOBIG");
        assertThat(e.getMessage()).contains("together");
    }

    @Test
    void refusesMoreLiteralsThanTheCountLimit() throws Exception {
        int max = ImapLimits.MAX_LITERALS_PER_COMMAND;
        String keys = " TEXT {1+}\r\nx".repeat(max);
        assertThat(((SearchKey.And) ((Search) ImapScript.of("a SEARCH" + keys + "\r\n").parse(true)).key()).keys())
                .hasSize(max);
        var over = ImapScript.of("a SEARCH" + keys + " TEXT {1}\r\n");
        var e = catchThrowableOfType(ImapSyntaxException.class, () -> over.parse(true));
        assertThat(e.getMessage()).contains("too many literals");
    }

    @Test
    void afterASyntaxErrorDrainsNonSynchronizingLiteralsSoTheNextCommandIsReadCleanly() throws Exception {
        // the error is in the first line; the client sends the literal anyway (LITERAL+)
        var s = ImapScript.of("a BOGUS x {5+}\r\nhello {3+}\r\nabc rest\r\nb NOOP\r\n");
        var e = catchThrowableOfType(ImapSyntaxException.class, () -> s.parse(true));
        assertThat(e.getMessage()).isEqualTo("unknown command");
        assertThat(e.closeConnection()).isFalse();
        assertThat(s.rest()).isEqualTo("b NOOP\r\n");
        assertThat(s.parse(true)).isEqualTo(new Noop("b"));
    }

    @Test
    void afterASyntaxErrorDoesNotReadASynchronizingLiteral() throws Exception {
        var s = ImapScript.of("a BOGUS {5}\r\nb NOOP\r\n");
        assertThat(catchThrowableOfType(ImapSyntaxException.class, () -> s.parse(true)).closeConnection()).isFalse();
        assertThat(s.rest()).isEqualTo("b NOOP\r\n");
    }

    @Test
    void afterASyntaxErrorAsksToCloseWhenTheLiteralBeingSentIsTooLargeToDrain() {
        var s = ImapScript.of("a APPEND \"unterminated {50000000+}\r\n");
        var e = catchThrowableOfType(ImapSyntaxException.class, () -> s.parse(true));
        assertThat(e.closeConnection()).isTrue();
    }

    @Test
    void refusesALineLongerThanTheLimitForTheState() throws Exception {
        int max = ImapLimits.MAX_LINE_BYTES_UNAUTHENTICATED;
        String head = "a LOGIN u ";
        String atLimit = head + "p".repeat(max - head.length());
        assertThat(ImapScript.of(atLimit + "\r\n").parse(false)).isInstanceOf(Login.class);
        var e = catchThrowableOfType(LineTooLongException.class,
                () -> ImapScript.of(atLimit + "p\r\n").parse(false));
        assertThat(e.limit()).isEqualTo(max);
        // once logged in the limit is larger
        assertThat(ImapScript.of(atLimit + "p\r\n").parse(true)).isInstanceOf(Login.class);
        String authLine = "a SELECT " + "x".repeat(ImapLimits.MAX_LINE_BYTES - "a SELECT ".length());
        assertThat(ImapScript.of(authLine + "\r\n").parse(true)).isInstanceOf(Select.class);
        var big = ImapScript.of("a NOOP" + " ".repeat(ImapLimits.MAX_LINE_BYTES) + "\r\n");
        assertThat(catchThrowableOfType(LineTooLongException.class, () -> big.parse(true)).limit())
                .isEqualTo(ImapLimits.MAX_LINE_BYTES);
    }

    @Test
    void acceptsASequenceSetAtTheRangeLimitAndRefusesOneRangeMore() throws Exception {
        int max = ImapLimits.MAX_SEQUENCE_RANGES;
        String set = "1" + ",3".repeat(max - 1);
        assertThat(((Fetch) ImapParser.parse("a UID FETCH " + set + " FLAGS")).set().ranges()).hasSize(max);
        var e = catchThrowableOfType(ImapSyntaxException.class, () -> ImapParser.parse("a UID FETCH " + set + ",3 FLAGS"));
        assertThat(e.getMessage()).contains("too many ranges");
    }

    @Test
    void refusesANulInALiteralAndLiteral8OutsideAppend() {
        var nul = ImapScript.of("a LOGIN {3}\r\na\0b p\r\n");
        assertThat(catchThrowableOfType(ImapSyntaxException.class, () -> nul.parse(false)).getMessage()).contains("NUL");
        var eight = ImapScript.of("a LOGIN ~{3}\r\nabc p\r\n");
        assertThat(catchThrowableOfType(ImapSyntaxException.class, () -> eight.parse(false))).isNotNull();
    }

    @Test
    void aLiteralAnnouncementMustEndTheLine() {
        var s = ImapScript.of("a LOGIN {3} p\r\n");
        assertThat(catchThrowableOfType(ImapSyntaxException.class, () -> s.parse(false)).getMessage())
                .contains("must end the line");
    }
}
