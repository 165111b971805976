package org.postern.wire.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {
    @Test
    void singleLineReplyCarriesItsEnhancedCode() {
        assertThat(SmtpReply.of(550, "5.1.1", "no such user").encode()).isEqualTo("550 5.1.1 no such user\r\n");
    }

    @Test
    void multiLineReplyUsesDashesAndRepeatsTheEnhancedCode() {
        assertThat(SmtpReply.multi(214, "2.0.0", List.of("one", "two", "three")).encode())
                .isEqualTo("214-2.0.0 one\r\n214-2.0.0 two\r\n214 2.0.0 three\r\n");
        assertThat(SmtpReply.plain(250, "mx.example", "PIPELINING", "SIZE 10").encode())
                .isEqualTo("250-mx.example\r\n250-PIPELINING\r\n250 SIZE 10\r\n");
    }

    @Test
    void replyTextCannotInjectASecondLine() {
        assertThat(SmtpReply.of(250, "2.0.0", "ok\r\n250 forged").encode()).isEqualTo("250 2.0.0 ok  250 forged\r\n");
    }

    @Test
    void enhancedClassMustMatchTheReplyCode() {
        assertThatThrownBy(() -> SmtpReply.of(250, "5.0.0", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpReply.of(199, "2.0.0", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
