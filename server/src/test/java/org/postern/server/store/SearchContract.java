package org.postern.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.server.store.StoreFixtures.newMessage;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's SEARCH reads ({@link ReadTx#searchBodyText}, {@link ReadTx#searchHeaderField},
 * {@link ReadTx#firstHeaderValues}) that every backend must pass. Each check runs twice: on text not indexed yet,
 * then once the backend has indexed everything, and must give the same answers both times.
 */
public abstract class SearchContract extends StoreContractBase {
    /** Stops (true) or resumes the backend's search indexer. */
    protected abstract void pauseIndexing(boolean pause);

    /** Resumes indexing and returns once every stored text is indexed. */
    protected abstract void indexEverything();

    /** Stored texts not indexed yet. */
    protected abstract long unindexed();

    protected static final String ALICE_MAIL = "X-Date: 5 May 2020\r\n"
            + "From: Alice =?UTF-8?Q?=C3=84rger?= <alice@example.org>\r\nTo: bob@example.org\r\n"
            + "Subject: Quarterly report\r\nDate: Mon, 1 Jan 2024 23:30:00 -0500\r\n\r\nThe budget is attached.\r\n";
    protected static final String BOB_MAIL = "From: bob@example.net\r\nTo: alice@example.org\r\n"
            + "Subject: =?UTF-8?Q?=C3=84RGER_im_B=C3=BCro?=\r\nx-mailer: Lower Case\r\nComments: first\r\nComments: second thoughts\r\n"
            + "Date: 2 Jan 2024 00:00:00 +1400\r\n\r\nfrom alice with love\r\n";
    protected static final String CAROL_MAIL = "From: carol@example.com\r\nTo: dave@example.org\r\n\r\nshort\r\n";

    protected MailboxId inbox;

    @BeforeEach
    void deliverWithoutIndexing() {
        inbox = inbox(ALICE);
        MailboxId archive = box(ALICE, "Archive").id();
        pauseIndexing(true);
        for (String raw : List.of(ALICE_MAIL, BOB_MAIL, CAROL_MAIL, "From: gone@example.org\r\n\r\nbudget\r\n")) {
            store.write(ALICE, tx -> tx.append(inbox, newMessage(store.blobs(), raw)));
        }
        store.write(ALICE, tx -> tx.expunge(inbox, UidSet.of(4)));
        store.write(ALICE, tx -> tx.append(archive, newMessage(store.blobs(), ALICE_MAIL.replace("budget", "other"))));
    }

    /** Runs {@code check} on the text not indexed yet, then on the index. */
    protected void onBothPaths(Runnable check) {
        assertThat(unindexed()).as("nothing indexed yet").isPositive();
        check.run();
        indexEverything();
        assertThat(unindexed()).isZero();
        check.run();
    }

    @Test
    void headerFieldSearchLooksOnlyInThatFieldsDecodedValue() {
        record Case(String field, String needle, List<Long> uids) {}
        List<Case> cases = List.of(
                new Case("From", "alice", List.of(1L)),             // alice is also in message 2's To and body
                new Case("FROM", "ALICE@EXAMPLE", List.of(1L)),
                new Case("From", "ärger", List.of(1L)),             // an RFC 2047 encoded word, decoded; Ä folds to ä
                new Case("Subject", "ärger im", List.of(2L)),
                new Case("Subject", "ÄRGER IM BÜRO", List.of(2L)),
                new Case("to", "alice", List.of(2L)),
                new Case("Subject", "", List.of(1L, 2L)),           // RFC 9051 §6.4.4: has the field (3 has none)
                new Case("Subject", "subject", List.of()),          // the field's name is not its value
                new Case("Subject", "budget", List.of()),           // body only
                new Case("From", "postern", List.of()),             // only in the Received field of the prefix
                new Case("Received", "POSTERN", List.of(1L, 2L, 3L)),
                new Case("Comments", "second", List.of(2L)),        // any occurrence of the field
                new Case("Comments", "", List.of(2L)),
                new Case("Date", "2020", List.of()),                // X-Date is another field
                new Case("X-Date", "2020", List.of(1L)),
                new Case("Date", "-0500", List.of(1L)),
                new Case("Nope", "", List.of()),
                new Case("X-Mailer", "lower", List.of(2L)),       // the message spells the name x-mailer
                new Case("From", "gone", List.of()),                // expunged
                new Case("From", "ä", List.of(1L)),                 // shorter than a trigram
                new Case("Subject", "üR", List.of(2L)),
                new Case("From", "b", List.of(2L)),
                new Case("From", "zz", List.of()));
        onBothPaths(() -> {
            for (Case c : cases) {
                assertThat(store.read(ALICE, (ReadTx tx) -> tx.searchHeaderField(inbox, c.field(), c.needle())))
                        .as(c.field() + " " + c.needle()).isEqualTo(c.uids());
            }
        });
    }

    @Test
    void bodySearchLooksOnlyInTheBody() {
        record Case(String needle, List<Long> uids) {}
        List<Case> cases = List.of(
                new Case("budget", List.of(1L)),                    // the expunged message and the Archive copy do not count
                new Case("BUDGET IS", List.of(1L)),
                new Case("quarterly", List.of()),                   // Subject only
                new Case("ALICE", List.of(2L)),                     // in 1 only in the header
                new Case("o", List.of(2L, 3L)),
                new Case("", List.of(1L, 2L, 3L)),
                new Case("nowhere", List.of()));
        onBothPaths(() -> {
            for (Case c : cases) {
                assertThat(store.read(ALICE, (ReadTx tx) -> tx.searchBodyText(inbox, c.needle())))
                        .as(c.needle()).containsExactlyInAnyOrderElementsOf(c.uids());
            }
            assertThat(store.read(ALICE, (ReadTx tx) -> tx.searchText(inbox, "quarterly"))).containsExactly(1L);
        });
    }

    @Test
    void firstHeaderValuesGivesTheFirstOccurrenceOfThatFieldOnly() {
        onBothPaths(() -> {
            assertThat(store.read(ALICE, (ReadTx tx) -> tx.firstHeaderValues(inbox, "Date"))).isEqualTo(Map.of(
                    1L, "Mon, 1 Jan 2024 23:30:00 -0500", 2L, "2 Jan 2024 00:00:00 +1400"));
            assertThat(store.read(ALICE, (ReadTx tx) -> tx.firstHeaderValues(inbox, "comments")))
                    .isEqualTo(Map.of(2L, "first"));
            assertThat(store.read(ALICE, (ReadTx tx) -> tx.firstHeaderValues(inbox, "SUBJECT"))).isEqualTo(Map.of(
                    1L, "Quarterly report", 2L, "ÄRGER im Büro"));
            assertThat(store.read(ALICE, (ReadTx tx) -> tx.firstHeaderValues(inbox, "Nope"))).isEmpty();
            assertThat(store.read(ALICE, (ReadTx tx) -> tx.firstHeaderValues(inbox, "X-Mailer")))
                    .isEqualTo(Map.of(2L, "Lower Case"));
        });
    }

    @Test
    void rowsIndexedAndRowsStillWaitingAreSearchedTogether() {
        indexEverything();
        pauseIndexing(true);
        long late = store.write(ALICE, tx -> tx.append(inbox, newMessage(store.blobs(), ALICE_MAIL))).uid();
        assertThat(unindexed()).isEqualTo(1);

        assertThat(store.read(ALICE, (ReadTx tx) -> tx.searchHeaderField(inbox, "From", "alice"))).containsExactly(1L, late);
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.searchHeaderField(inbox, "From", "ä"))).containsExactly(1L, late);
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.searchBodyText(inbox, "budget"))).containsExactly(1L, late);
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.searchText(inbox, "quarterly"))).containsExactly(1L, late);
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.firstHeaderValues(inbox, "Date")))
                .containsEntry(1L, "Mon, 1 Jan 2024 23:30:00 -0500").containsEntry(late, "Mon, 1 Jan 2024 23:30:00 -0500");
    }
}
