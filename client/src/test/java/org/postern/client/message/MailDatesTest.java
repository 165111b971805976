package org.postern.client.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MailDatesTest {
    @Test
    void datesAreReadAsMailWritesThem() {
        record Case(String value, Optional<OffsetDateTime> expected) {}
        OffsetDateTime t = OffsetDateTime.of(2024, 3, 5, 14, 7, 9, 0, ZoneOffset.ofHours(1));
        for (Case c : List.of(
                new Case("Tue, 5 Mar 2024 14:07:09 +0100", Optional.of(t)),
                new Case("5 Mar 2024 14:07:09 +0100", Optional.of(t)),
                new Case("Tue,  5 Mar 2024 14:07:09 +0100 (CET)", Optional.of(t)),
                new Case("Tue, 05 March 2024 14:07:09 +0100", Optional.of(t)),
                new Case("Tue, 5 Mar 24 14:07:09 +0100", Optional.of(t)),                          // RFC 5322 §4.3
                new Case("Tue, 5 Mar 2024 14:07 +0100", Optional.of(t.withSecond(0))),
                new Case("Tue, 5 Mar 2024 08:07:09 EST", Optional.of(t.withOffsetSameLocal(ZoneOffset.ofHours(-5)).withHour(8))),
                new Case("Tue, 5 Mar 2024 13:07:09 GMT", Optional.of(t.withOffsetSameLocal(ZoneOffset.UTC).withHour(13))),
                new Case("Tue, 5 Mar 99 13:07:09 -0000", Optional.of(OffsetDateTime.of(1999, 3, 5, 13, 7, 9, 0, ZoneOffset.UTC))),
                new Case("yesterday", Optional.empty()),
                new Case("", Optional.empty()),
                new Case("Tue, 31 Feb 2024 14:07:09 +0100", Optional.empty()),
                new Case("Tue, 5 Foo 2024 14:07:09 +0100", Optional.empty()))) {
            assertThat(MailDates.parse(c.value())).as(c.value()).isEqualTo(c.expected());
        }
    }

    @Test
    void writtenDatesFollowRfc5322AndReadBack() {
        ZonedDateTime d = ZonedDateTime.of(2026, 12, 5, 9, 3, 4, 0, ZoneId.of("Europe/Berlin"));
        assertThat(MailDates.format(d)).isEqualTo("Sat, 5 Dec 2026 09:03:04 +0100");
        assertThat(MailDates.parse(MailDates.format(d))).contains(d.toOffsetDateTime());
    }
}
