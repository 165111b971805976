package org.postern.server.store;

import static org.postern.server.store.StoreFixtures.newMessage;
import static org.postern.server.store.StoreFixtures.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fixture and helpers of the store contract tests ({@link MailStoreContract}, {@link MailboxContract}): a
 * store opened on a temp directory, with account {@link #ALICE} ensured.
 */
public abstract class StoreContractBase {
    protected static final AccountId ALICE = new AccountId(1);
    protected static final AccountId BOB = new AccountId(2);
    protected static final AccountId CAROL = new AccountId(3);

    @TempDir
    protected Path dir;
    protected MailStore store;

    /** Opens the backend's store with its data in {@code dir}; opening the same directory again reopens it. */
    protected abstract MailStore open(Path dir);

    @BeforeEach
    void openStore() {
        store = open(dir);
        store.ensureAccount(ALICE);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // ---- helpers

    protected Mailbox box(AccountId account, String name) {
        return store.read(account, tx -> tx.mailbox(MailboxName.of(name))).orElseThrow();
    }

    protected MailboxId inbox(AccountId account) {
        return box(account, "INBOX").id();
    }

    protected MessageMeta append(AccountId account, MailboxId box, String subject) {
        return append(account, box, subject, Flags.NONE);
    }

    protected MessageMeta append(AccountId account, MailboxId box, String subject, Flags flags) {
        NewMessage m = newMessage(store.blobs(), text(subject, "body of " + subject), flags);
        return store.write(account, tx -> tx.append(box, m));
    }

    protected List<Long> uids(AccountId account, MailboxId box) {
        return store.read(account, tx -> tx.messages(box, UidSet.ALL)).stream().map(MessageMeta::uid).toList();
    }

    protected List<Change> changesSince(AccountId account, long modSeq) {
        return store.read(account, tx -> tx.changesSince(modSeq));
    }

    protected long highestModSeq(AccountId account) {
        return store.read(account, ReadTx::highestModSeq);
    }

    protected String contentOf(MessageContent content) throws IOException {
        try (InputStream in = store.open(content)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
