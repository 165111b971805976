package org.postern.server.store.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.postern.server.store.Change;
import org.postern.server.store.Flags;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MailboxName;

/** Change records to and from rows of the {@code change} table (see V1__init.sql for the kinds). */
final class ChangeRows {
    static final String COLUMNS = "modseq, kind, mailbox, uid, flags, uids, name, old_name";

    private ChangeRows() {}

    static void insert(Db db, long account, Change change) {
        String sql = "INSERT INTO change (account, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        switch (change) {
            case Change.MessageAdded c -> db.update(sql, account, c.modSeq(), "A", c.box().value(), c.uid(),
                    c.flags().toString(), null, null, null);
            case Change.MessagesExpunged c -> db.update(sql, account, c.modSeq(), "X", c.box().value(), null, null,
                    Uids.encode(c.uids()), null, null);
            case Change.FlagsChanged c -> db.update(sql, account, c.modSeq(), "F", c.box().value(), c.uid(),
                    c.flags().toString(), null, null, null);
            case Change.MailboxCreated c -> db.update(sql, account, c.modSeq(), "C", c.box().value(), null, null,
                    null, c.name().value(), null);
            case Change.MailboxRenamed c -> db.update(sql, account, c.modSeq(), "R", c.box().value(), null, null,
                    null, c.to().value(), c.from().value());
            case Change.MailboxDeleted c -> db.update(sql, account, c.modSeq(), "D", c.box().value(), null, null,
                    null, c.name().value(), null);
        }
    }

    /** Maps a row selected with {@link #COLUMNS}. */
    static Change read(ResultSet rs) throws SQLException {
        long modSeq = rs.getLong(1);
        MailboxId box = new MailboxId(rs.getLong(3));
        return switch (rs.getString(2)) {
            case "A" -> new Change.MessageAdded(box, rs.getLong(4), modSeq, Flags.parse(rs.getString(5)));
            case "X" -> new Change.MessagesExpunged(box, Uids.decode(rs.getString(6)), modSeq);
            case "F" -> new Change.FlagsChanged(box, rs.getLong(4), modSeq, Flags.parse(rs.getString(5)));
            case "C" -> new Change.MailboxCreated(box, MailboxName.of(rs.getString(7)), modSeq);
            case "R" -> new Change.MailboxRenamed(box, MailboxName.of(rs.getString(8)), MailboxName.of(rs.getString(7)),
                    modSeq);
            case "D" -> new Change.MailboxDeleted(box, MailboxName.of(rs.getString(7)), modSeq);
            default -> throw new SQLException("unknown change kind " + rs.getString(2));
        };
    }
}
