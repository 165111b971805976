package org.postern.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.server.relay.RelayHarness.ALICE;
import static org.postern.server.relay.RelayHarness.T0;
import static org.postern.server.relay.RelayHarness.message;
import static org.postern.wire.smtp.client.FakeSmtpServer.reply;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.config.Config;
import org.postern.server.queue.QueuedMessage;

/** The retry schedule, the delay notice and the give-up bounce, on an injected clock: five days in seconds. */
class RelayScheduleTest {
    @TempDir
    Path dir;

    @Test
    void retriesSettleAtTheLastDelayWithJitterThenOneDelayNoticeThenTheBounceAfterFiveDays() throws Exception {
        try (var h = RelayHarness.withRemoteMx(dir)) {
            h.remote.rcpt(reply(451, "4.7.1 greylisted, come back later"));
            h.send(ALICE, message("patience"), List.of("bob@b.test"));

            List<Instant> attempts = new ArrayList<>();
            int notices = 0;
            while (!h.queue().isEmpty()) {
                h.runNextDue();
                attempts.add(h.clock.instant());
                int now = h.inbox().size();
                if (now > notices) {
                    assertThat(h.clock.instant()).as("the delay notice comes at 4 hours, on the first attempt after")
                            .isBetween(T0.plus(Duration.ofHours(4)), T0.plus(Duration.ofHours(4)).plus(Duration.ofMinutes(17)));
                    notices = now;
                    break;
                }
            }
            assertThat(h.inbox()).singleElement().satisfies(dsn -> assertThat(dsn).contains(
                    "Action: delayed", "Status: 4.7.1", "Will-Retry-Until:", "Diagnostic-Code: smtp; 451 4.7.1 greylisted",
                    "Remote-MTA: dns; mx.b.test"));
            // 5, 10, then every 15 minutes (each up to 10 % later)
            assertThat(Duration.between(attempts.get(0), attempts.get(1))).isBetween(Duration.ofMinutes(5), Duration.ofSeconds(330));
            assertThat(Duration.between(attempts.get(1), attempts.get(2))).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(11));
            assertThat(Duration.between(attempts.get(2), attempts.get(3))).isBetween(Duration.ofMinutes(15), Duration.ofSeconds(990));
            assertThat(Duration.between(attempts.get(3), attempts.get(4))).isNotEqualTo(Duration.between(attempts.get(2), attempts.get(3)));

            while (!h.queue().isEmpty()) {
                QueuedMessage q = h.queue().getFirst();
                assertThat(q.delayNotified()).isTrue();
                h.runNextDue();
            }
            assertThat(h.clock.instant()).isBetween(T0.plus(Duration.ofDays(5)), T0.plus(Duration.ofDays(5)).plus(Duration.ofMinutes(17)));
            List<String> inbox = h.inbox();
            assertThat(inbox).hasSize(2);
            assertThat(inbox.get(1)).contains("Action: failed", "Status: 4.7.1", "Final-Recipient: rfc822; bob@b.test",
                    "Diagnostic-Code: smtp; 451 4.7.1 greylisted", "Subject: patience");
        }
    }

    @Test
    void theScheduleIsConfigurable() throws Exception {
        try (var h = RelayHarness.withRemoteMx(dir)) {
            h.remote.greeting(reply(421, "4.3.2 not now"));
            h.settings = h.settings.withSchedule(new Config.Queue(List.of(Duration.ofSeconds(1)), Duration.ofSeconds(2),
                    Duration.ofSeconds(3)));
            h.send(ALICE, message("quick"), List.of("bob@b.test"));

            h.run();
            assertThat(h.queue().getFirst().nextAttempt()).isBetween(T0.plusSeconds(1), T0.plusMillis(1100));
            h.advance(Duration.ofSeconds(2));
            h.run();
            assertThat(h.inbox()).singleElement().satisfies(d -> assertThat(d).contains("Action: delayed"));
            h.advance(Duration.ofSeconds(2));
            h.run();
            assertThat(h.queue()).isEmpty();
            assertThat(h.inbox()).hasSize(2);
        }
    }

    @Test
    void noDelayNoticeWhenItWouldNotComeBeforeTheBounce() throws Exception {
        try (var h = RelayHarness.withRemoteMx(dir)) {
            h.remote.greeting(reply(421, "4.3.2 not now"));
            h.settings = h.settings.withSchedule(new Config.Queue(List.of(Duration.ofSeconds(1)), Duration.ofSeconds(5),
                    Duration.ofSeconds(5)));
            h.send(ALICE, message("late"), List.of("bob@b.test"), org.postern.wire.smtp.RcptParams.NONE,
                    org.postern.server.store.Delivery.Options.NONE);
            h.run();
            h.advance(Duration.ofSeconds(6));
            h.run();
            assertThat(h.inbox()).singleElement().satisfies(d -> assertThat(d).contains("Action: failed"));
            assertThat(Optional.of(h.queue())).hasValue(List.of());
        }
    }
}
