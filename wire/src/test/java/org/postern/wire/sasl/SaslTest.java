package org.postern.wire.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.wire.Secret;

class SaslTest {
    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(UTF_8));
    }

    record Case(String response, String user, String password) {}

    @Test
    void plainDecodesUserAndPassword() {
        for (var c : List.of(
                new Case(b64("\0mjl@example.org\0secret"), "mjl@example.org", "secret"),
                new Case(b64("mjl@example.org\0mjl@example.org\0secret"), "mjl@example.org", "secret"),
                new Case(b64("\0jösé@example.org\0pässwörd with spaces"), "jösé@example.org", "pässwörd with spaces"),
                new Case(b64("\0u\0" + "p".repeat(255)), "u", "p".repeat(255)))) {
            Credentials cr = SaslPlain.decode(c.response(), false);
            assertThat(cr.username()).isEqualTo(c.user());
            assertThat(cr.password().reveal()).isEqualTo(c.password());
            assertThat(cr.toString()).doesNotContain(c.password());
        }
    }

    record Bad(String response, boolean initial, SaslException.Kind kind) {}

    @Test
    void plainRefusesBadResponses() {
        for (var c : List.of(
                new Bad("*", false, SaslException.Kind.CANCELLED),
                new Bad("*", true, SaslException.Kind.CANCELLED),
                new Bad("not base64!", true, SaslException.Kind.BAD_BASE64),
                new Bad("=", true, SaslException.Kind.MALFORMED),
                new Bad(b64("user\0secret"), true, SaslException.Kind.MALFORMED),
                new Bad(b64("\0\0secret"), true, SaslException.Kind.MALFORMED),
                new Bad(b64("\0user\0"), true, SaslException.Kind.MALFORMED),
                new Bad(b64("\0user\0secret\0more"), true, SaslException.Kind.MALFORMED),
                new Bad(b64("\0u\0" + "p".repeat(256)), true, SaslException.Kind.MALFORMED),
                new Bad(Base64.getEncoder().encodeToString(new byte[] {0, 'u', 0, (byte) 0xff}), true, SaslException.Kind.MALFORMED),
                new Bad(b64("admin@example.org\0mjl@example.org\0secret"), true, SaslException.Kind.AUTHZID_NOT_ALLOWED))) {
            var e = catchThrowableOfType(SaslException.class, () -> SaslPlain.decode(c.response(), c.initial()));
            assertThat(e).as(c.response()).isNotNull();
            assertThat(e.kind()).as(c.response()).isEqualTo(c.kind());
        }
    }

    @Test
    void equalsSignIsAnEmptyInitialResponseOnly() {
        assertThat(SaslResponses.decode("=", true)).isEmpty();
        assertThat(catchThrowableOfType(SaslException.class, () -> SaslResponses.decode("=", false)).kind())
                .isEqualTo(SaslException.Kind.BAD_BASE64);
        assertThat(SaslResponses.decode("", false)).isEmpty();
    }

    @Test
    void loginDecodesUserNameAndPassword() {
        assertThat(SaslLogin.username(b64("mjl@example.org"), false)).isEqualTo("mjl@example.org");
        assertThat(SaslLogin.username(b64("mjl@example.org"), true)).isEqualTo("mjl@example.org");
        assertThat(SaslLogin.password(b64("secret")).reveal()).isEqualTo("secret");
        assertThat(new String(Base64.getDecoder().decode(SaslLogin.USERNAME_CHALLENGE), UTF_8)).isEqualTo("Username:");
        assertThat(new String(Base64.getDecoder().decode(SaslLogin.PASSWORD_CHALLENGE), UTF_8)).isEqualTo("Password:");
    }

    @Test
    void loginRefusesCancelBadBase64AndEmptyFields() {
        assertThat(catchThrowableOfType(SaslException.class, () -> SaslLogin.username("*", false)).kind()).isEqualTo(SaslException.Kind.CANCELLED);
        assertThat(catchThrowableOfType(SaslException.class, () -> SaslLogin.password("%%%")).kind()).isEqualTo(SaslException.Kind.BAD_BASE64);
        assertThat(catchThrowableOfType(SaslException.class, () -> SaslLogin.password("")).kind()).isEqualTo(SaslException.Kind.MALFORMED);
        assertThat(catchThrowableOfType(SaslException.class, () -> SaslLogin.username("=", true)).kind()).isEqualTo(SaslException.Kind.MALFORMED);
    }

    @Test
    void plainEncodeRoundTrips() {
        Credentials c = SaslPlain.decode(SaslPlain.encode("u@x.example", Secret.of("pw")), true);
        assertThat(c.username()).isEqualTo("u@x.example");
        assertThat(c.password().reveal()).isEqualTo("pw");
    }
}
