package org.postern.wire.dsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.wire.dsn.Notify.Condition;

class DsnParametersTest {

    @Test
    void xtextEncodesAndDecodesBothWays() {
        record Case(String text, String xtext) {}
        for (var c : List.of(
                new Case("bob@example.org", "bob@example.org"),
                new Case("bob+x@example.org", "bob+2Bx@example.org"),          // RFC 3461 §4: "+" is hex
                new Case("a=b", "a+3Db"),                                     // so is "="
                new Case("two words", "two+20words"),                          // space is below 33
                new Case("tab\there", "tab+09here"),
                new Case("del\u007f", "del+7F"),
                new Case("crlf\r\n", "crlf+0D+0A"),
                new Case("café", "caf+C3+A9"),                                 // UTF-8 octets
                new Case("~!\"#$%&'()*,-./:;<>?@[\\]^_`{|}", "~!\"#$%&'()*,-./:;<>?@[\\]^_`{|}"),
                new Case("", ""))) {
            assertThat(Xtext.encode(c.text())).as(c.text()).isEqualTo(c.xtext());
            assertThat(Xtext.decode(c.xtext())).as(c.xtext()).isEqualTo(c.text());
        }
    }

    @Test
    void xtextDecodingAcceptsLowerCaseHexAndRefusesMalformedText() {
        assertThat(Xtext.decode("bob+2bx")).isEqualTo("bob+x");
        for (String bad : List.of("a+", "a+4", "a+G1", "a+4G", "a b", "a=b", "caf\u00e9", "a\r\nb")) {
            assertThat(Xtext.isValid(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> Xtext.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void orcptParsesTypeAndDecodesTheAddress() {
        record Case(String value, String type, String address, String parameter) {}
        for (var c : List.of(
                new Case("rfc822;bob+2Bx@example.org", "rfc822", "bob+x@example.org", "ORCPT=rfc822;bob+2Bx@example.org"),
                new Case("RFC822;Bob@Example.ORG", "RFC822", "Bob@Example.ORG", "ORCPT=RFC822;Bob@Example.ORG"),
                new Case("x400;c+3Dus+3Ba+3Datt", "x400", "c=us;a=att", "ORCPT=x400;c+3Dus;a+3Datt"),
                // RFC 6533 §3: utf-8-addr-xtext escapes Unicode as \x{HEX}
                new Case("utf-8;j\\x{F6}rg@example.org", "utf-8", "jörg@example.org", "ORCPT=utf-8;j\\x{F6}rg@example.org"))) {
            OriginalRecipient o = OriginalRecipient.parse(c.value());
            assertThat(o).as(c.value()).isEqualTo(new OriginalRecipient(c.type(), c.address()));
            assertThat(o.toParameter()).as(c.value()).isEqualTo(c.parameter());
            assertThat(OriginalRecipient.parse(o.toParameter().substring(6))).isEqualTo(o);
        }
    }

    @Test
    void orcptRefusesMalformedValuesAndItsLimitIsExact() {
        for (String bad : List.of("bob@example.org", ";bob@example.org", "rfc 822;bob@x", "rfc822;", "rfc822;a+zz",
                "rfc822;a b")) {
            assertThatThrownBy(() -> OriginalRecipient.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        String prefix = "rfc822;";
        String atLimit = prefix + "a".repeat(DsnLimits.MAX_ORCPT_CHARS - prefix.length() - 2) + "@x";
        assertThat(OriginalRecipient.parse(atLimit).address()).hasSize(DsnLimits.MAX_ORCPT_CHARS - prefix.length());
        assertThatThrownBy(() -> OriginalRecipient.parse(atLimit + "y")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void envidIsXtextAndItsLimitIsExact() {
        assertThat(EnvelopeId.parse("QQ314159+2B1").value()).isEqualTo("QQ314159+1");
        assertThat(new EnvelopeId("QQ314159+1").toParameter()).isEqualTo("ENVID=QQ314159+2B1");
        assertThat(EnvelopeId.parse("x".repeat(DsnLimits.MAX_ENVID_CHARS)).value()).hasSize(DsnLimits.MAX_ENVID_CHARS);
        for (String bad : List.of("x".repeat(DsnLimits.MAX_ENVID_CHARS + 1), "", "a b", "a+2")) {
            assertThatThrownBy(() -> EnvelopeId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        // the limit is on the xtext form: 34 "+" become 102 characters
        assertThatThrownBy(() -> new EnvelopeId("+".repeat(34))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void notifyAndRetParseTheirKeywords() {
        record Case(String value, Notify expected, String parameter) {}
        for (var c : List.of(
                new Case("NEVER", Notify.NEVER, "NOTIFY=NEVER"),
                new Case("never", Notify.NEVER, "NOTIFY=NEVER"),
                new Case("SUCCESS", new Notify(EnumSet.of(Condition.SUCCESS)), "NOTIFY=SUCCESS"),
                new Case("delay,failure", new Notify(EnumSet.of(Condition.FAILURE, Condition.DELAY)), "NOTIFY=FAILURE,DELAY"),
                new Case("FAILURE,DELAY,SUCCESS", new Notify(EnumSet.allOf(Condition.class)), "NOTIFY=SUCCESS,FAILURE,DELAY"))) {
            assertThat(Notify.parse(c.value())).as(c.value()).isEqualTo(c.expected());
            assertThat(c.expected().toParameter()).isEqualTo(c.parameter());
        }
        for (String bad : List.of("NEVER,SUCCESS", "SUCCESS,NEVER", "", "SUCCESS,", "SUCCESS,SUCCESS", "ALWAYS")) {
            assertThatThrownBy(() -> Notify.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Notify.DEFAULT.wants(DeliveryReport.Kind.FAILURE)).isTrue();
        assertThat(Notify.DEFAULT.wants(DeliveryReport.Kind.DELAY)).isTrue();
        assertThat(Notify.DEFAULT.wants(DeliveryReport.Kind.SUCCESS)).isFalse();
        assertThat(Notify.NEVER.wants(DeliveryReport.Kind.FAILURE)).isFalse();

        assertThat(Ret.parse("hdrs")).isEqualTo(Ret.HDRS);
        assertThat(Ret.parse("FULL").toParameter()).isEqualTo("RET=FULL");
        assertThatThrownBy(() -> Ret.parse("BODY")).isInstanceOf(IllegalArgumentException.class);
    }
}
