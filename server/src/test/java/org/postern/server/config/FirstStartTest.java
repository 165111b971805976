package org.postern.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.tls.TlsFiles;

class FirstStartTest {
    @TempDir
    Path tmp;

    @Test
    void createsTheDirectoryConfigAndSelfSignedPair() throws Exception {
        Path dataDir = tmp.resolve("a/postern");

        FirstStart.Result result = FirstStart.prepare(dataDir, false);

        Path config = dataDir.resolve("postern.toml");
        Path cert = dataDir.resolve("tls/cert.pem");
        Path key = dataDir.resolve("tls/key.pem");
        assertThat(result.dataDir()).isEqualTo(dataDir.toAbsolutePath());
        assertThat(result.configFile()).isEqualTo(config);
        assertThat(result.created()).containsExactly(tmp.resolve("a"), dataDir, config, dataDir.resolve("tls"), cert, key);
        assertThat(result.changedAnything()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("tls"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Config.load(config)).isEqualTo(Config.defaults(dataDir, false));
        var chain = TlsFiles.certificates(cert);
        assertThat(result.certificateFingerprint()).contains(TlsFiles.sha256Fingerprint(chain.getFirst()));
        assertThat(chain.getFirst().getSubjectX500Principal().getName()).isEqualTo("CN=" + Config.localHostname());
        assertThat(TlsFiles.load(cert, key)).isNotNull();
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("postern.toml", "tls");
        }
    }

    @Test
    void aSecondCallChangesNothing() throws Exception {
        Path dataDir = tmp.resolve("postern");
        FirstStart.prepare(dataDir, true);
        Map<Path, String> contents = snapshot(dataDir);
        Map<Path, FileTime> times = new HashMap<>();
        for (Path p : contents.keySet()) times.put(p, Files.getLastModifiedTime(p));

        FirstStart.Result again = FirstStart.prepare(dataDir, false);

        assertThat(again.created()).isEmpty();
        assertThat(again.changedAnything()).isFalse();
        assertThat(again.certificateFingerprint()).isEmpty();
        assertThat(snapshot(dataDir)).isEqualTo(contents);
        for (Path p : contents.keySet()) assertThat(Files.getLastModifiedTime(p)).as(p.toString()).isEqualTo(times.get(p));
        assertThat(Config.load(again.configFile())).isEqualTo(Config.defaults(dataDir, true));  // still root's ports
    }

    @Test
    void anExistingConfigIsKeptAndItsHostnameNamesTheCertificate() throws Exception {
        Path dataDir = Files.createDirectory(tmp.resolve("postern"));
        Files.writeString(dataDir.resolve("postern.toml"), "hostname = \"mx.example.net\"\n");

        FirstStart.Result result = FirstStart.prepare(dataDir, false);

        assertThat(result.created()).containsExactly(dataDir.resolve("tls"), dataDir.resolve("tls/cert.pem"),
                dataDir.resolve("tls/key.pem"));
        assertThat(Files.readString(dataDir.resolve("postern.toml"))).isEqualTo("hostname = \"mx.example.net\"\n");
        assertThat(TlsFiles.certificates(dataDir.resolve("tls/cert.pem")).getFirst().getSubjectX500Principal().getName())
                .isEqualTo("CN=mx.example.net");
    }

    @Test
    void leavesTlsAloneWhenOneOfThePairExistsOrThePathsAreConfigured() throws Exception {
        Path dataDir = tmp.resolve("postern");
        Files.createDirectories(dataDir.resolve("tls"));
        Files.writeString(dataDir.resolve("tls/cert.pem"), "the operator's");

        assertThat(FirstStart.prepare(dataDir, false).created()).containsExactly(dataDir.resolve("postern.toml"));
        assertThat(dataDir.resolve("tls/key.pem")).doesNotExist();
        assertThat(Files.readString(dataDir.resolve("tls/cert.pem"))).isEqualTo("the operator's");

        Path other = Files.createDirectory(tmp.resolve("other"));
        Files.writeString(other.resolve("postern.toml"), "[tls]\ncertificate = \"/etc/ssl/c.pem\"\nkey = \"/etc/ssl/k.pem\"\n");
        assertThat(FirstStart.prepare(other, false).created()).isEmpty();
    }

    @Test
    void aBrokenExistingConfigIsReported() throws Exception {
        Path dataDir = Files.createDirectory(tmp.resolve("postern"));
        Files.writeString(dataDir.resolve("postern.toml"), "[limits]\nmax_recipients = 5\n");

        assertThatThrownBy(() -> FirstStart.prepare(dataDir, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("postern.toml:2: limits.max_recipients");
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsReported() throws Exception {
        Path file = Files.writeString(tmp.resolve("postern"), "x");

        assertThatThrownBy(() -> FirstStart.prepare(file, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("exists and is not a directory");
    }

    @Test
    void knowsWhetherItRunsAsRoot() {
        assertThat(FirstStart.runningAsRoot()).isEqualTo("root".equals(System.getProperty("user.name")));
    }

    private static Map<Path, String> snapshot(Path dir) throws Exception {
        var map = new HashMap<Path, String>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) map.put(p, Files.readString(p));
        }
        return map;
    }
}
