package org.postern.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.server.store.StoreFixtures.blobExists;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The mailbox and account half of the store contract (RFC 9051 §6.3): create, rename, delete, subscriptions,
 * default mailboxes, account isolation and removal. Run through {@link MailStoreContract}.
 */
public abstract class MailboxContract extends StoreContractBase {
    private Mailbox create(AccountId account, String name) {
        return store.write(account, tx -> tx.createMailbox(MailboxName.of(name), Set.of()));
    }

    private List<String> names(AccountId account) {
        return store.read(account, ReadTx::mailboxes).stream().map(m -> m.name().value()).toList();
    }

    private void rename(AccountId account, MailboxId id, String to) {
        store.write(account, tx -> {
            tx.renameMailbox(id, MailboxName.of(to));
            return null;
        });
    }

    private void delete(AccountId account, MailboxId id) {
        store.write(account, tx -> {
            tx.deleteMailbox(id);
            return null;
        });
    }

    @Test
    void ensureAccountCreatesTheDefaultMailboxesOnceWithTheirSpecialUse() {
        store.ensureAccount(BOB);
        store.ensureAccount(BOB);

        List<Mailbox> boxes = store.read(BOB, ReadTx::mailboxes);
        assertThat(boxes).hasSize(MailStore.DEFAULT_MAILBOXES.size()).allMatch(Mailbox::subscribed);
        for (MailStore.DefaultMailbox d : MailStore.DEFAULT_MAILBOXES) {
            assertThat(box(BOB, d.name().value()).specialUse()).isEqualTo(d.use());
        }
        assertThat(names(BOB)).isSorted();
    }

    @Test
    void createMakesMissingParentsEachWithItsOwnUidValidity() {
        Mailbox c = create(ALICE, "a/b/c");

        assertThat(names(ALICE)).contains("a", "a/b", "a/b/c");
        assertThat(c.name().value()).isEqualTo("a/b/c");
        assertThat(c.uidNext()).isEqualTo(1);
        assertThat(List.of(box(ALICE, "a").uidValidity(), box(ALICE, "a/b").uidValidity(), c.uidValidity()))
                .doesNotHaveDuplicates();
        assertThat(create(ALICE, "a/x").name().value()).isEqualTo("a/x");
    }

    @Test
    void creatingAnExistingNameIsRefused() {
        create(ALICE, "Work");

        assertThatThrownBy(() -> create(ALICE, "Work")).isInstanceOf(MailboxExistsException.class);
        assertThatThrownBy(() -> create(ALICE, "inbox")).isInstanceOf(MailboxExistsException.class);
        assertThat(create(ALICE, "work").name().value()).isEqualTo("work");   // other names are case-sensitive
        assertThat(create(BOB, "Work").name().value()).isEqualTo("Work");     // per account
    }

    @Test
    void renameMovesTheMailboxWithItsChildrenKeepingIdsUidValidityAndMessages() {
        Mailbox a = create(ALICE, "a");
        Mailbox ab = create(ALICE, "a/b");
        create(ALICE, "a/b/c");
        create(ALICE, "ab");   // same prefix, not a child
        MessageMeta m = append(ALICE, ab.id(), "in a/b");
        long before = highestModSeq(ALICE);

        rename(ALICE, a.id(), "z/y");

        assertThat(names(ALICE)).contains("z", "z/y", "z/y/b", "z/y/b/c", "ab").doesNotContain("a", "a/b", "a/b/c");
        Mailbox moved = box(ALICE, "z/y/b");
        assertThat(moved.id()).isEqualTo(ab.id());
        assertThat(moved.uidValidity()).isEqualTo(ab.uidValidity());
        assertThat(uids(ALICE, moved.id())).containsExactly(m.uid());
        assertThat(changesSince(ALICE, before)).filteredOn(Change.MailboxRenamed.class::isInstance)
                .extracting(c -> ((Change.MailboxRenamed) c).to().value())
                .containsExactlyInAnyOrder("z/y", "z/y/b", "z/y/b/c");
        assertThat(changesSince(ALICE, before)).filteredOn(Change.MailboxCreated.class::isInstance)
                .extracting(c -> ((Change.MailboxCreated) c).name().value()).containsExactly("z");
    }

    @Test
    void renameOntoAnExistingNameOrBelowItselfIsRefusedAndChangesNothing() {
        Mailbox a = create(ALICE, "a");
        create(ALICE, "a/b");
        create(ALICE, "x/b");
        List<String> before = names(ALICE);

        assertThatThrownBy(() -> rename(ALICE, a.id(), "Trash")).isInstanceOf(MailboxExistsException.class);
        assertThatThrownBy(() -> rename(ALICE, a.id(), "a")).isInstanceOf(MailboxExistsException.class);
        assertThatThrownBy(() -> rename(ALICE, a.id(), "INBOX")).isInstanceOf(MailboxExistsException.class);
        // a/b would become x/b, which exists
        assertThatThrownBy(() -> rename(ALICE, a.id(), "x")).isInstanceOf(MailboxExistsException.class);
        assertThatThrownBy(() -> rename(ALICE, a.id(), "a/b/c")).isInstanceOf(IllegalArgumentException.class);
        assertThat(names(ALICE)).isEqualTo(before);
    }

    @Test
    void renamingInboxMovesItsMessagesToANewMailboxAndLeavesInboxEmpty() {
        Mailbox inbox = box(ALICE, "INBOX");
        create(ALICE, "INBOX/child");
        MessageMeta one = append(ALICE, inbox.id(), "one", Flags.of(Flags.SEEN));
        MessageMeta two = append(ALICE, inbox.id(), "two");

        rename(ALICE, inbox.id(), "Old/Inbox");

        Mailbox old = box(ALICE, "Old/Inbox");
        assertThat(box(ALICE, "INBOX").id()).isEqualTo(inbox.id());
        assertThat(uids(ALICE, inbox.id())).isEmpty();
        assertThat(names(ALICE)).contains("INBOX/child", "Old");
        assertThat(old.uidValidity()).isNotEqualTo(inbox.uidValidity());
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.messages(old.id(), UidSet.ALL)))
                .extracting(MessageMeta::flags).containsExactly(one.flags(), two.flags());
        assertThat(blobExists(store.blobs(), one.body())).isTrue();
        assertThat(append(ALICE, inbox.id(), "three").uid()).isEqualTo(3);   // INBOX uids are not reused
        assertThat(append(ALICE, old.id(), "four").uid()).isGreaterThan(two.uid());
        assertThat(changesSince(ALICE, two.modSeq())).anySatisfy(c -> assertThat(c)
                .isEqualTo(new Change.MessagesExpunged(inbox.id(), List.of(one.uid(), two.uid()), c.modSeq())));
    }

    @Test
    void deletingInboxIsRefused() {
        assertThatThrownBy(() -> delete(ALICE, inbox(ALICE))).isInstanceOf(IllegalArgumentException.class);
        assertThat(names(ALICE)).contains("INBOX");
    }

    @Test
    void deleteRemovesTheMailboxAndItsMessagesButLeavesItsChildren() {
        Mailbox a = create(ALICE, "a");
        create(ALICE, "a/b");
        MessageMeta m = append(ALICE, a.id(), "gone");
        long before = highestModSeq(ALICE);

        delete(ALICE, a.id());

        assertThat(names(ALICE)).contains("a/b").doesNotContain("a");
        assertThat(blobExists(store.blobs(), m.body())).isFalse();
        assertThat(changesSince(ALICE, before)).singleElement().isInstanceOfSatisfying(Change.MailboxDeleted.class,
                c -> assertThat(c.box()).isEqualTo(a.id()));
        assertThatThrownBy(() -> store.read(ALICE, (ReadTx tx) -> tx.messages(a.id(), UidSet.ALL)))
                .isInstanceOf(MailboxNotFoundException.class);
        assertThatThrownBy(() -> delete(ALICE, a.id())).isInstanceOf(MailboxNotFoundException.class);
    }

    @Test
    void subscriptionsAreNamesThatOutliveTheirMailbox() {
        Mailbox lists = create(ALICE, "Lists");
        store.write(ALICE, tx -> {
            tx.setSubscribed(MailboxName.of("Lists"), true);
            tx.setSubscribed(MailboxName.of("Trash"), false);
            return null;
        });
        assertThat(box(ALICE, "Lists").subscribed()).isTrue();
        assertThat(box(ALICE, "Trash").subscribed()).isFalse();

        delete(ALICE, lists.id());
        Mailbox again = create(ALICE, "Lists");

        assertThat(again.subscribed()).isTrue();   // RFC 9051 §6.3.7: not removed unilaterally
    }

    @Test
    void anotherAccountsMailboxIsNotFound() {
        store.ensureAccount(BOB);
        MailboxId bobs = inbox(BOB);
        MessageMeta m = append(BOB, bobs, "private");

        assertThatThrownBy(() -> store.read(ALICE, (ReadTx tx) -> tx.messages(bobs, UidSet.ALL)))
                .isInstanceOf(MailboxNotFoundException.class);
        assertThatThrownBy(() -> append(ALICE, bobs, "intruder")).isInstanceOf(MailboxNotFoundException.class);
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.mailbox(bobs))).isEmpty();
        assertThat(store.read(ALICE, (ReadTx tx) -> tx.content(bobs, m.uid()))).isEmpty();
        assertThat(uids(BOB, bobs)).containsExactly(m.uid());
    }

    @Test
    void deleteAccountRemovesEverythingAndReleasesTheBlobs() {
        store.ensureAccount(BOB);
        MessageMeta m = append(BOB, inbox(BOB), "bye");
        store.deleteAccount(BOB);

        assertThat(store.read(BOB, ReadTx::mailboxes)).isEmpty();
        assertThat(changesSince(BOB, 0)).isEmpty();
        assertThat(blobExists(store.blobs(), m.body())).isFalse();
        assertThat(names(ALICE)).hasSize(MailStore.DEFAULT_MAILBOXES.size());

        store.ensureAccount(BOB);
        assertThat(append(BOB, inbox(BOB), "again").modSeq()).isGreaterThan(m.modSeq());   // counters kept
    }

    @Test
    void subscriptionsIncludeNamesWithoutAMailbox() {
        store.ensureAccount(BOB);
        store.write(ALICE, tx -> {
            tx.setSubscribed(MailboxName.of("Gone/Child"), true);   // RFC 9051 §6.3.7: any name may be subscribed
            tx.setSubscribed(MailboxName.of("Trash"), false);
            return null;
        });

        List<MailboxName> subscribed = store.read(ALICE, ReadTx::subscriptions);
        assertThat(subscribed).contains(MailboxName.of("Gone/Child"), MailboxName.INBOX)
                .doesNotContain(MailboxName.of("Trash"))
                .isSortedAccordingTo(java.util.Comparator.comparing(MailboxName::value));
        assertThat(names(ALICE)).doesNotContain("Gone/Child");
        assertThat(store.read(BOB, ReadTx::subscriptions)).doesNotContain(MailboxName.of("Gone/Child"))
                .contains(MailboxName.of("Trash"));
    }
}
