package org.postern.wire.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedWordsTest {

    @Test
    void decodesEncodedWordsTolerantly() {
        record Case(String input, String expected) {}
        List<Case> cases = List.of(
                new Case("plain text", "plain text"),
                new Case("", ""),
                new Case("=?utf-8?q?caf=C3=A9?=", "café"),
                new Case("=?UTF-8?Q?caf=c3=a9_au_lait?=", "café au lait"),
                new Case("=?utf-8?b?Y2Fmw6k=?=", "café"),
                new Case("=?UTF-8?B?Y2Fmw6k?=", "café"),                          // missing padding
                new Case("=?iso-8859-1?q?caf=E9?=", "café"),
                new Case("=?ISO-8859-15?Q?=A4uro?=", "€uro"),
                new Case("=?windows-1252?q?=80_price?=", "€ price"),
                new Case("=?iso-8859-1?q?=80?=", "€"),                             // Latin-1 label read as 1252
                new Case("=?koi8-r?b?8NLJ18XU?=", "Привет"),
                // RFC 2047 §8 examples: white space between adjacent encoded words is dropped
                new Case("(=?ISO-8859-1?Q?a?=)", "(a)"),
                new Case("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
                new Case("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
                new Case("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
                new Case("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)"),
                new Case("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
                new Case("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"),
                // a UTF-8 character split across two words
                new Case("=?utf-8?q?caf=C3?= =?utf-8?q?=A9?=", "café"),
                new Case("=?utf-8?b?w6k=?= =?utf-8?b?w6k=?=", "éé"),
                new Case("Re: =?utf-8?q?caf=C3=A9?= and more", "Re: café and more"),
                new Case("a=?utf-8?q?b?=c", "abc"),                                // inside a word
                new Case("=?utf-8*en?q?hello?=", "hello"),                          // RFC 2231 language
                new Case("=?x-unknown?q?abc?= =?utf-8?q?d?=", "=?x-unknown?q?abc?= d"),
                new Case("=?utf-8?x?abc?=", "=?utf-8?x?abc?="),                     // unknown encoding
                new Case("=?utf-8?q?unterminated", "=?utf-8?q?unterminated"),
                new Case("=?", "=?"),
                new Case("=??q?abc?=", "=??q?abc?="),
                new Case("=?utf-8?q?bad=ZZhex?=", "bad=ZZhex"),
                new Case("=?utf-8?q?hello world?=", "hello world"));                 // broken encoder: space
        for (Case c : cases) {
            assertThat(EncodedWords.decode(c.input())).as(c.input()).isEqualTo(c.expected());
        }
    }

    @Test
    void hostileInputStaysLinear() {
        // 20,000 openings that never close, or close only at the very end: quadratic scanning would take
        // minutes here (no timing is asserted; the suite's duration shows it)
        String open = "=?utf-8?q?a ".repeat(20_000);
        String noClose = "=?utf-8?q?a".repeat(20_000);

        assertThat(EncodedWords.decode(open).equals(open)).isTrue();
        assertThat(EncodedWords.decode(noClose).equals(noClose)).isTrue();
        assertThat(EncodedWords.decode(open + "?=").length()).isLessThan(open.length());
        assertThat(AddressParser.parseList(noClose + " <a@b.test>")).hasSize(1);
        assertThat(AddressParser.parseList(noClose + "?= <a@b.test>")).hasSize(1);
    }
}
