package org.postern.server.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.server.tls.SelfSigned;
import org.postern.server.tls.TlsFiles;

/**
 * Makes a data directory ready for a server started without a config file: the directory itself (mode 0700),
 * a fully commented {@code postern.toml} with the {@link Config#defaults} for this start, and a self-signed
 * certificate with its key when the config points at the default TLS files and neither exists. Whatever exists
 * is left alone, so calling it again on a prepared directory changes nothing.
 */
public final class FirstStart {
    private FirstStart() {}

    /**
     * What {@link #prepare} did, for the caller to print.
     *
     * @param created                paths created, in order (directories, config file, certificate, key)
     * @param certificateFingerprint SHA-256 of the certificate generated now, for clients to check it against
     */
    public record Result(Path dataDir, Path configFile, List<Path> created, Optional<String> certificateFingerprint) {
        public Result {
            created = List.copyOf(created);
        }

        public boolean changedAnything() {
            return !created.isEmpty();
        }
    }

    /**
     * Prepares {@code dataDir} as described above.
     *
     * @param privilegedPorts true when running as root: listeners on the standard ports on 0.0.0.0, else on
     *                        unprivileged ports on 127.0.0.1 (see {@link Config#defaults})
     * @throws ConfigException when the directory cannot be made, or an existing postern.toml in it is wrong
     */
    public static Result prepare(Path dataDir, boolean privilegedPorts) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path configFile = dir.resolve(Config.FILE_NAME);
        var created = new ArrayList<Path>();
        try {
            createPrivateDirectories(dir, created);
            if (!Files.exists(configFile)) {
                String text = ConfigTemplate.render(Config.defaults(dir, privilegedPorts), privilegedPorts);
                writeNew(configFile, text);
                created.add(configFile);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot prepare data directory " + dir + ": " + e, e);
        }

        Config config = Config.load(configFile);
        Config.Tls tls = config.tls();
        Optional<String> fingerprint = Optional.empty();
        // Only the default location: explicitly configured files are the operator's to provide.
        if (tls.equals(Config.Tls.defaults(config.dataDir()))
                && !Files.exists(tls.certificate()) && !Files.exists(tls.key())) {
            try {
                createPrivateDirectories(tls.key().getParent(), created);
            } catch (IOException e) {
                throw new ConfigException("cannot create " + tls.key().getParent() + ": " + e, e);
            }
            var certificate = SelfSigned.generate(config.hostname(), tls.certificate(), tls.key());
            created.add(tls.certificate());
            created.add(tls.key());
            fingerprint = Optional.of(TlsFiles.sha256Fingerprint(certificate));
        }
        return new Result(dir, configFile, created, fingerprint);
    }

    /**
     * True when this process runs as root (user id 0), the usual way to decide {@code privilegedPorts}: only root
     * may bind ports below 1024 without extra capabilities. Reads the owner of /proc/self on Linux, else the user
     * name.
     */
    public static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Creates the missing directories of {@code dir}, owner-only where the file system has POSIX modes. */
    private static void createPrivateDirectories(Path dir, List<Path> created) throws IOException {
        if (Files.isDirectory(dir)) return;
        if (Files.exists(dir)) throw new FileAlreadyExistsException(dir + " exists and is not a directory");
        createPrivateDirectories(dir.getParent(), created);
        if (posix(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectory(dir);
        }
        created.add(dir);
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Temp file, fsync, rename: a crash leaves either no config file or a whole one. */
    private static void writeNew(Path file, String text) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), ".postern-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            if (posix(file)) Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r-----"));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
