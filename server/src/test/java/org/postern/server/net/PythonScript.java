package org.postern.server.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the Python scripts of the interop tests (Python's smtplib, poplib, imaplib as independent clients). */
public final class PythonScript {
    private PythonScript() {}

    /** Whether python3 is on the PATH and can import {@code modules} ("imaplib, ssl"). */
    public static boolean available(String modules) {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import " + modules).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Runs {@code script} with {@code args}, checks it exits 0 within a minute, and returns its output as a map
     * from the first word of each line to the rest.
     */
    public static Map<String, String> run(Path script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String transcript = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script.getFileName() + " timed out:\n" + transcript);
        }
        assertThat(p.exitValue()).as(transcript).isZero();
        Map<String, String> results = new LinkedHashMap<>();
        for (String line : transcript.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) results.put(line.substring(0, sp), line.substring(sp + 1));
        }
        return results;
    }
}
