package org.postern.server.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.postern.server.store.Flags;

/**
 * Delivers messages into a Maildir ({@code tmp/}, {@code new/}, {@code cur/}), following
 * https://cr.yp.to/proto/maildir.html: each message is written to {@code tmp/} under a unique name, synced,
 * then renamed into {@code new/} (no flags) or {@code cur/} with the info {@code :2,<flags>} (flags in
 * ASCII order: D draft, F flagged, R answered, S seen, T trashed). Line ends are LF. The file's modification
 * time is set to the message's internal date, which Maildir readers take as the arrival date.
 * // todo: keywords (Dovecot's dovecot-keywords file) are not exported.
 */
public final class MaildirWriter {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path root;
    private final String host;

    private MaildirWriter(Path root, String host) {
        this.root = root;
        this.host = host;
    }

    /** Opens {@code dir} as a Maildir, creating it and its three subdirectories as needed. */
    public static MaildirWriter open(Path dir) throws IOException {
        for (String sub : new String[] {"tmp", "new", "cur"}) Files.createDirectories(dir.resolve(sub));
        return new MaildirWriter(dir, hostPart());
    }

    /** Writes one message; returns its final path. */
    public Path deliver(InputStream message, Flags flags, Instant internalDate) throws IOException {
        String unique = uniqueName(internalDate);
        Path tmp = root.resolve("tmp").resolve(unique);
        try {
            try (OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 LfOutputStream lf = new LfOutputStream(new BufferedOutputStream(file, 64 * 1024), false)) {
                message.transferTo(lf);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.setLastModifiedTime(tmp, FileTime.from(internalDate));
            String info = info(flags);
            Path target = info.isEmpty() ? root.resolve("new").resolve(unique)
                    : root.resolve("cur").resolve(unique + ":2," + info);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The Maildir flag letters for {@code flags}, in ASCII order; empty when none applies. */
    static String info(Flags flags) {
        StringBuilder s = new StringBuilder();
        if (flags.has(Flags.DRAFT)) s.append('D');
        if (flags.has(Flags.FLAGGED)) s.append('F');
        if (flags.has(Flags.ANSWERED)) s.append('R');
        if (flags.has(Flags.SEEN)) s.append('S');
        if (flags.has(Flags.DELETED)) s.append('T');
        return s.toString();
    }

    /** {@code <seconds>.M<micros>P<pid>Q<sequence>.<host>}: unique per host, process and call. */
    private String uniqueName(Instant date) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            Instant now = Instant.now();
            String name = date.getEpochSecond() + ".M" + (now.getEpochSecond() * 1_000_000 + now.getNano() / 1000)
                    + "P" + ProcessHandle.current().pid() + "Q" + SEQUENCE.incrementAndGet() + "." + host;
            if (!Files.exists(root.resolve("tmp").resolve(name))) return name;
        }
        throw new FileAlreadyExistsException(root.resolve("tmp").toString(), null, "no unique name found");
    }

    /** The host name with '/' and ':' escaped as the Maildir specification asks. */
    private static String hostPart() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            h = "localhost";
        }
        return h.replace("/", "\\057").replace(":", "\\072");
    }
}
