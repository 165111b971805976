package org.postern.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.server.store.StoreFixtures.blobExists;
import static org.postern.server.store.StoreFixtures.newMessage;
import static org.postern.server.store.StoreFixtures.text;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.postern.server.queue.QueueStore;
import org.postern.server.queue.QueuedMessage;

/**
 * What every {@link QueueStore} backend must do: entries from {@link MailStore#deliver}, claims with a lease
 * that two workers never share, attempts, rescheduling and retirement (which releases the body blob).
 */
public abstract class QueueStoreContract extends StoreContractBase {
    private static final Duration LEASE = Duration.ofMinutes(1);

    private QueueStore queue() {
        return store.queue();
    }

    /** Queues a message for the recipients; with {@code localToo} it is also delivered to ALICE. */
    private Delivery.Receipt enqueue(boolean localToo, String... recipients) {
        NewMessage m = newMessage(store.blobs(), text("out", "bound"));
        byte[] prefix = "Received: by postern\r\n".getBytes(StandardCharsets.US_ASCII);
        return store.deliver(new Delivery(m, localToo ? List.of(ALICE) : List.of(), Optional.of(
                new Delivery.Outbound("alice@example.org", List.of(recipients), prefix, prefix.length + 40))));
    }

    private static Instant soon() {
        return Instant.now().plusSeconds(1);
    }

    @Test
    void deliveredOutboundMailIsQueuedDueAtOnceWithItsRecipients() {
        Instant before = Instant.now().minusMillis(1);
        long id = enqueue(false, "x@remote.example", "y@remote.example").queueId().orElseThrow();

        QueuedMessage q = queue().list().getFirst();

        assertThat(q.id()).isEqualTo(id);
        assertThat(q.envelopeFrom()).isEqualTo("alice@example.org");
        assertThat(q.created()).isAfter(before).isBefore(soon());
        assertThat(q.nextAttempt()).isEqualTo(q.created());
        assertThat(q.attempts()).isZero();
        assertThat(q.recipients()).extracting(QueuedMessage.Recipient::address)
                .containsExactly("x@remote.example", "y@remote.example");
        assertThat(q.recipients()).allSatisfy(r -> assertThat(r.attempts()).isZero());
        assertThat(queue().claimDue(soon(), 10, LEASE)).extracting(QueuedMessage::id).containsExactly(id);
    }

    @Test
    void aClaimedMessageIsNotClaimedAgainUntilItsLeaseExpires() {
        long id = enqueue(false, "x@remote.example").queueId().orElseThrow();
        Instant t = soon();

        List<QueuedMessage> first = queue().claimDue(t, 10, LEASE);
        List<QueuedMessage> during = queue().claimDue(t.plus(LEASE).minusMillis(1), 10, LEASE);
        List<QueuedMessage> after = queue().claimDue(t.plus(LEASE), 10, LEASE);   // the worker died

        assertThat(first).extracting(QueuedMessage::id).containsExactly(id);
        assertThat(first.getFirst().attempts()).isEqualTo(1);
        assertThat(during).isEmpty();
        assertThat(after).extracting(QueuedMessage::id).containsExactly(id);
        assertThat(after.getFirst().attempts()).isEqualTo(2);   // claims count, so crashes still age a message
    }

    @Test
    void claimDueTakesAtMostMaxOldestFirstAndNothingNotYetDue() {
        long a = enqueue(false, "a@remote.example").queueId().orElseThrow();
        long b = enqueue(false, "b@remote.example").queueId().orElseThrow();
        long c = enqueue(false, "c@remote.example").queueId().orElseThrow();
        queue().reschedule(a, Instant.now().plus(Duration.ofHours(1)));

        Duration hours = Duration.ofHours(3);
        assertThat(queue().claimDue(soon(), 1, hours)).extracting(QueuedMessage::id).containsExactly(b);
        assertThat(queue().claimDue(soon(), 10, hours)).extracting(QueuedMessage::id).containsExactly(c);
        assertThat(queue().claimDue(soon(), 10, LEASE)).isEmpty();
        assertThat(queue().claimDue(soon().plus(Duration.ofHours(1)), 10, Duration.ofHours(2)))
                .extracting(QueuedMessage::id).containsExactly(a);
    }

    @Test
    void concurrentClaimersNeverGetTheSameMessage() throws InterruptedException {
        int messages = 40;
        for (int i = 0; i < messages; i++) enqueue(false, "r" + i + "@remote.example");
        Instant t = soon();
        ConcurrentLinkedQueue<Long> claimed = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            workers.add(Thread.ofVirtual().start(() -> {
                for (List<QueuedMessage> got; !(got = queue().claimDue(t, 3, LEASE)).isEmpty(); ) {
                    got.forEach(q -> claimed.add(q.id()));
                }
            }));
        }
        for (Thread w : workers) w.join();

        assertThat(claimed).hasSize(messages).doesNotHaveDuplicates();
        assertThat(claimed).containsExactlyInAnyOrderElementsOf(queue().list().stream().map(QueuedMessage::id).toList());
    }

    @Test
    void recordAttemptRemovesDoneRecipientsAndCountsFailedOnes() {
        enqueue(false, "ok@remote.example", "later@remote.example");
        QueuedMessage q = queue().claimDue(soon(), 1, LEASE).getFirst();

        queue().recordAttempt(q.recipients().get(0).id(), true, "");
        queue().recordAttempt(q.recipients().get(1).id(), false, "451 4.3.0 try later");
        queue().recordAttempt(q.recipients().get(1).id(), false, "421 4.4.2 timeout");

        assertThat(queue().list().getFirst().recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("later@remote.example");
            assertThat(r.attempts()).isEqualTo(2);
            assertThat(r.lastError()).isEqualTo("421 4.4.2 timeout");
        });
    }

    @Test
    void rescheduleReleasesTheLeaseAndSetsTheNextAttempt() {
        long id = enqueue(false, "x@remote.example").queueId().orElseThrow();
        Instant t = soon();
        queue().claimDue(t, 1, Duration.ofHours(1));
        Instant next = t.plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);   // kept to the millisecond

        queue().reschedule(id, next);

        assertThat(queue().list().getFirst().nextAttempt()).isEqualTo(next);
        assertThat(queue().claimDue(next.minusMillis(1), 1, LEASE)).isEmpty();
        assertThat(queue().claimDue(next, 1, LEASE)).extracting(QueuedMessage::id).containsExactly(id);
    }

    @Test
    void rescheduleRetiresAMessageWithNoRecipientsLeftAndReleasesItsBlobIfNothingElseUsesIt() {
        long remoteOnly = enqueue(false, "x@remote.example").queueId().orElseThrow();
        Delivery.Receipt alsoLocal = enqueue(true, "y@remote.example");
        BlobRef remoteBlob = queue().list().stream().filter(q -> q.id() == remoteOnly).findFirst().orElseThrow().body();
        BlobRef localBlob = alsoLocal.appended().getFirst().body();

        for (QueuedMessage q : queue().claimDue(soon(), 10, LEASE)) {
            q.recipients().forEach(r -> queue().recordAttempt(r.id(), true, ""));
            queue().reschedule(q.id(), soon());
        }

        assertThat(queue().list()).isEmpty();
        assertThat(blobExists(store.blobs(), remoteBlob)).isFalse();
        assertThat(blobExists(store.blobs(), localBlob)).isTrue();   // ALICE's INBOX copy still uses it
    }

    @Test
    void theQueueSurvivesCloseAndReopen() {
        long id = enqueue(false, "x@remote.example").queueId().orElseThrow();
        List<QueuedMessage> before = queue().list();
        store.close();

        store = open(dir);

        assertThat(queue().list()).usingRecursiveFieldByFieldElementComparator().isEqualTo(before);
        assertThat(queue().claimDue(soon(), 1, LEASE)).extracting(QueuedMessage::id).containsExactly(id);
    }

    @Test
    void dsnParametersAndTheBodyTypeAreKeptWithTheEntry() {
        NewMessage m = newMessage(store.blobs(), text("out", "bound"));
        var options = new Delivery.Options(Optional.of(org.postern.wire.dsn.Ret.HDRS),
                Optional.of(new org.postern.wire.dsn.EnvelopeId("QQ314")), true, true);
        var success = org.postern.wire.dsn.Notify.parse("SUCCESS,DELAY");
        var orcpt = org.postern.wire.dsn.OriginalRecipient.rfc822("X+y@remote.example");
        store.deliver(new Delivery(m, List.of(), Optional.of(new Delivery.Outbound("alice@example.org", List.of(
                new Delivery.OutboundRecipient("x@remote.example", Optional.of(success), Optional.of(orcpt)),
                new Delivery.OutboundRecipient("y@remote.example", Optional.of(org.postern.wire.dsn.Notify.NEVER), Optional.empty()),
                Delivery.OutboundRecipient.of("z@remote.example")), new byte[0], 40, options))));

        QueuedMessage q = queue().list().getFirst();

        assertThat(q.options()).isEqualTo(options);
        assertThat(q.delayNotified()).isFalse();
        assertThat(q.bounceRequested()).isFalse();
        assertThat(q.recipients()).extracting(QueuedMessage.Recipient::notifyOn)
                .containsExactly(Optional.of(success), Optional.of(org.postern.wire.dsn.Notify.NEVER), Optional.empty());
        assertThat(q.recipients().getFirst().orcpt()).contains(orcpt);
        assertThat(q.recipients().get(2).notifyOrDefault()).isEqualTo(org.postern.wire.dsn.Notify.DEFAULT);
    }

    @Test
    void aFailureKeepsTheRemoteHostStatusAndReply() {
        enqueue(false, "x@remote.example");
        QueuedMessage q = queue().list().getFirst();

        queue().recordFailure(q.recipients().getFirst().id(), Optional.of("mx.remote.example"), "4.7.1", "451 4.7.1 greylisted");
        queue().markDelayNotified(q.id());

        QueuedMessage after = queue().find(q.id()).orElseThrow();
        QueuedMessage.Recipient r = after.recipients().getFirst();
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.remoteHost()).contains("mx.remote.example");
        assertThat(r.status()).contains("4.7.1");
        assertThat(r.lastError()).isEqualTo("451 4.7.1 greylisted");
        assertThat(after.delayNotified()).isTrue();
    }

    @Test
    void theOperatorCanRetryBounceAndRemoveAnEntry() {
        long id = enqueue(false, "x@remote.example").queueId().orElseThrow();
        Instant later = Instant.now().plus(Duration.ofHours(1));
        queue().claimDue(soon(), 10, LEASE);
        queue().reschedule(id, later);
        assertThat(queue().nextDue()).contains(later.truncatedTo(ChronoUnit.MILLIS));
        assertThat(queue().claimDue(soon(), 10, LEASE)).isEmpty();

        assertThat(queue().retryNow(id, Instant.now())).isTrue();
        assertThat(queue().claimDue(soon(), 10, LEASE)).extracting(QueuedMessage::id).containsExactly(id);
        queue().reschedule(id, later);
        assertThat(queue().requestBounce(id, Instant.now())).isTrue();
        assertThat(queue().claimDue(soon(), 10, LEASE)).singleElement().satisfies(m -> assertThat(m.bounceRequested()).isTrue());

        assertThat(queue().remove(id)).isTrue();
        assertThat(queue().find(id)).isEmpty();
        assertThat(queue().nextDue()).isEmpty();
        assertThat(queue().remove(id)).isFalse();
        assertThat(queue().retryNow(id, Instant.now())).isFalse();
    }

    @Test
    void aRenewedLeaseHoldsLongerAndAReleasedOneIsNotRenewed() {
        long id = enqueue(false, "x@remote.example").queueId().orElseThrow();
        Instant t = Instant.now();
        assertThat(queue().claimDue(t, 10, LEASE)).hasSize(1);

        queue().extendLeases(List.of(id), t.plus(LEASE.multipliedBy(3)));

        assertThat(queue().claimDue(t.plus(LEASE.multipliedBy(2)), 10, LEASE)).as("renewed").isEmpty();
        queue().reschedule(id, t);
        queue().extendLeases(List.of(id), t.plus(LEASE.multipliedBy(3)));
        assertThat(queue().claimDue(t.plusSeconds(1), 10, LEASE)).as("released, not renewed").hasSize(1);
    }
}
