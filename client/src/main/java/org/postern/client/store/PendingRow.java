package org.postern.client.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** A pending row, as the store reads it back for its own rules. */
record PendingRow(long id, String kind, long messageId, Optional<Long> uid, Optional<String> target) {
    static PendingRow of(ResultSet rs) throws SQLException {
        return new PendingRow(rs.getLong(1), rs.getString(2), rs.getLong(3), LocalStore.optLong(rs, 4),
                Optional.ofNullable(rs.getString(5)));
    }
}
