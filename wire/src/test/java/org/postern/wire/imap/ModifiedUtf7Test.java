package org.postern.wire.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModifiedUtf7Test {

    record Case(String name, String wire) {}

    static final List<Case> CASES = List.of(
            new Case("INBOX", "INBOX"),
            new Case("", ""),
            new Case("&", "&-"),
            new Case("Tom & Jerry", "Tom &- Jerry"),
            new Case("Entwürfe", "Entw&APw-rfe"),
            new Case("Gelöschte Elemente", "Gel&APY-schte Elemente"),
            new Case("日本語", "&ZeVnLIqe-"),
            new Case("台北", "&U,BTFw-"),
            // RFC 3501 §5.1.3's example
            new Case("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
            new Case("Отправленные", "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-"),
            new Case("äöü", "&AOQA9gD8-"),
            new Case("a&ä", "a&-&AOQ-"),
            new Case("ä&", "&AOQ-&-"),
            new Case("😀 mail", "&2D3eAA- mail"),
            new Case("line\r\nbreak", "line&AA0ACg-break"),
            new Case("tab\there", "tab&AAk-here"));

    @Test
    void encodesEachNameToItsWireForm() {
        for (Case c : CASES) assertThat(ModifiedUtf7.encode(c.name())).as(c.name()).isEqualTo(c.wire());
    }

    @Test
    void decodesEachWireFormBackToItsName() {
        for (Case c : CASES) assertThat(ModifiedUtf7.decode(c.wire())).as(c.wire()).isEqualTo(c.name());
    }

    @Test
    void rejectsEveryNonCanonicalOrBrokenSpelling() {
        record Bad(String wire, String why) {}
        for (Bad b : List.of(
                new Bad("&AOQ", "unterminated shift sequence"),
                new Bad("Entw&APw", "unterminated shift sequence"),
                new Bad("&AGE-", "encoded printable character 'a'"),
                new Bad("&ACY-", "encoded printable character '&'"),
                new Bad("&AOQ-&APY-", "adjacent shift sequences"),
                new Bad("&AOR-", "partial or non-zero trailing bits"),
                new Bad("&AOQA-", "partial or non-zero trailing bits"),
                new Bad("&AO-", "partial or non-zero trailing bits"),
                new Bad("&AO/k-", "'/' in a shift sequence"),
                new Bad("&AOQ=-", "'=' in a shift sequence"),
                new Bad("&2D0-", "lone surrogate"),
                new Bad("&3gA-", "lone surrogate"),
                new Bad("Entwürfe", "character 0xfc must be in a shift sequence"),
                new Bad("a\r\nb", "character 0xd must be in a shift sequence"))) {
            assertThatThrownBy(() -> ModifiedUtf7.decode(b.wire())).as(b.wire())
                    .isInstanceOf(ModifiedUtf7.MalformedException.class)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(b.why());
        }
    }

    @Test
    void roundTripsEveryCharacterOfTheBasicPlane() {
        StringBuilder all = new StringBuilder();
        for (char c = 1; c < 0xD800; c++) all.append(c);
        for (char c = 0xE000; c != 0; c++) all.append(c);
        String name = all.toString();
        String wire = ModifiedUtf7.encode(name);
        assertThat(wire.chars()).allMatch(c -> c >= 0x20 && c <= 0x7E);
        assertThat(ModifiedUtf7.decode(wire)).isEqualTo(name);
    }
}
