package org.postern.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.cli.Invocation;
import org.postern.cli.Main;
import org.postern.cli.StoreOpener;
import org.postern.server.store.MessageMeta;

/**
 * {@code postern client ...} end to end: {@link Main#run} in-process, against an in-process Postern over real
 * sockets, with the accounts file and offline copy in a temporary client home.
 */
class ClientCommandsTest {
    @TempDir
    Path dir;
    MailServer server;
    Path home;
    Map<String, String> env = new HashMap<>();
    Optional<Invocation.Terminal> terminal = Optional.empty();

    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = MailServer.start(dir.resolve("server"));
        home = dir.resolve("home");
        env.put("POSTERN_CLIENT_HOME", home.toString());
        env.put("COLUMNS", "120");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Result run(String stdin, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        Invocation inv = new Invocation(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), env, terminal, StoreOpener.DEFAULT);
        int exit = Main.run(inv, args);
        return new Result(exit, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
    }

    Result okIn(String stdin, String... args) {
        Result r = run(stdin, args);
        assertThat(r.exit()).as(String.join(" ", args) + "\nstdout: " + r.out() + "\nstderr: " + r.err()).isZero();
        return r;
    }

    Result ok(String... args) {
        return okIn("", args);
    }

    /** Exit 1 and one line on standard error (no stack trace). */
    String fails(String stdin, String... args) {
        Result r = run(stdin, args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.out()).isEqualTo(Main.FAILED);
        assertThat(r.err().strip()).as(r.err()).doesNotContain("\n").doesNotContain("Exception");
        return r.err().strip();
    }

    Path passwordFile(String name, String password, String mode) throws IOException {
        Path f = Files.writeString(dir.resolve(name), password + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    void addAccount(String name, String address, String password) throws IOException {
        Path pw = passwordFile(name + ".pw", password, "rw-------");
        ok("client", "account", "add", name, "--address", address, "--host", "127.0.0.1", "--port",
                Integer.toString(server.port("imap")), "--security", "plaintext", "--smtp-port",
                Integer.toString(server.port("smtp-submission")), "--password-file", pw.toString());
    }

    static String message(String subject, String body) {
        return "From: Carol <carol@example.net>\r\nTo: alice@example.org\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '.') + "@example.net>\r\nDate: Fri, 4 Dec 2026 10:00:00 +0000\r\n\r\n"
                + body + "\r\n";
    }

    /** The local id of the message with {@code subject} in {@code folder}, from {@code list --json}. */
    long id(String folder, String subject) {
        for (Map<String, Object> m : MiniJson.array(ok("client", "list", folder, "--json").out())) {
            if (subject.equals(m.get("subject"))) return (Long) m.get("id");
        }
        throw new AssertionError("no message '" + subject + "' in " + folder);
    }

    // ---- accounts

    @Test
    void accountAddWritesTheFileWithoutThePasswordAndListShowsIt() throws IOException {
        addAccount("work", MailServer.ALICE, MailServer.PASSWORD);
        ok("client", "account", "add", "home", "--address", "me@example.net", "--protocol", "pop3", "--host", "pop.example.net",
                "--password-command", "pass show mail", "--delete-after-days", "30");

        String file = Files.readString(home.resolve("accounts.toml"));
        assertThat(file).contains("[account.work]", "password_file = ", "[account.home.incoming]", "delete_after_days = 30")
                .doesNotContain(MailServer.PASSWORD);
        assertThat(ok("client", "account", "list").lines()).satisfiesExactly(
                l -> assertThat(l).startsWith("* work  alice@example.org  imap alice@example.org at 127.0.0.1:"),
                l -> assertThat(l).startsWith("  home  me@example.net  pop3 me@example.net at pop.example.net:995 (tls)"));
        List<Map<String, Object>> json = MiniJson.array(ok("client", "account", "list", "--json").out());
        assertThat(json).extracting(m -> m.get("name"), m -> m.get("protocol"), m -> m.get("password"), m -> m.get("default"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("work", "imap", "file", true),
                        org.assertj.core.groups.Tuple.tuple("home", "pop3", "command", false));

        assertThat(ok("client", "account", "remove", "home").out()).isEqualTo("removed account home\n");
        assertThat(ok("client", "account", "list").lines()).hasSize(1);
    }

    @Test
    void accountAddRefusesAPasswordFileOthersCanReadAndSaysHowToFixIt() throws IOException {
        Path pw = passwordFile("open.pw", "x", "rw-r--r--");
        String err = fails("", "client", "account", "add", "w", "--address", "a@example.org", "--host", "h",
                "--password-file", pw.toString());
        assertThat(err).isEqualTo("postern: account w: password file " + pw + " can be read by others (mode 0644); "
                + "make it yours alone: chmod 600 " + pw);
        assertThat(home.resolve("accounts.toml")).doesNotExist();
    }

    @Test
    void commandErrorsAreOneLine() throws IOException {
        assertThat(fails("", "client", "list")).isEqualTo(
                "postern: no accounts yet: add one with `postern client account add NAME --address ... --host ...`");
        addAccount("work", MailServer.ALICE, MailServer.PASSWORD);
        assertThat(fails("", "client", "read", "999")).startsWith("postern: no message 999 in the offline copy");
        assertThat(fails("", "client", "list", "--account", "nope")).isEqualTo("postern: no account nope (accounts: work)");
        assertThat(fails("", "client", "list", "--limit", "100001")).isEqualTo("postern: --limit must be between 1 and 100000");
        assertThat(fails("", "client", "list", "--limit", "100000")).startsWith("postern: no folder INBOX in the offline copy of work");
        assertThat(fails("", "client", "flag", "1")).isEqualTo("postern: which flags? e.g. `postern client flag 1 +flagged -seen`");
        // was taken as "-" + "-foo": clear the keyword -foo, exit 0
        assertThat(fails("", "client", "flag", "1", "--foo")).isEqualTo("postern: unknown option --foo");
        Files.writeString(home.resolve("accounts.toml"), "[account.x]\npassword = \"hunter2\"\n");
        assertThat(fails("", "client", "folders")).startsWith("postern: " + home.resolve("accounts.toml") + ":2: account.x.password: "
                + "passwords are never kept in the accounts file");
    }

    @Test
    void anEmptyPasswordCommandIsRefusedInASentence() {
        // was "internal error: java.lang.IllegalArgumentException: empty password command"
        assertThat(fails("", "client", "account", "add", "w", "--address", "a@example.org", "--host", "h",
                "--password-command", " ")).isEqualTo("postern: --password-command is empty: give a command that prints the password");
        assertThat(home.resolve("accounts.toml")).doesNotExist();
    }

    @Test
    void deleteAfterDaysIsTakenUpToItsLimitAndNotOneDayMore() {
        int max = org.postern.client.account.Account.MAX_DELETE_AFTER_DAYS;
        for (int days : List.of(0, max + 1)) {
            assertThat(fails("", "client", "account", "add", "p" + days, "--address", "a@example.org", "--protocol", "pop3",
                    "--host", "h", "--delete-after-days", Integer.toString(days)))
                    .isEqualTo("postern: --delete-after-days must be between 1 and " + max);
        }
        ok("client", "account", "add", "p", "--address", "a@example.org", "--protocol", "pop3", "--host", "h",
                "--delete-after-days", Integer.toString(max));
        assertThat(MiniJson.array(ok("client", "account", "list", "--json").out())).extracting(m -> m.get("name"))
                .containsExactly("p");
    }

    // ---- the whole round

    @Test
    void syncListReadSendReplyAndOfflineChangesReachTheServer() throws IOException {
        addAccount("work", MailServer.ALICE, MailServer.PASSWORD);
        server.deliver(MailServer.ALICE, message("first note", "Hello Alice,\r\nthe first one."));
        server.deliver(MailServer.ALICE, message("second note", "And a second."));
        server.deliver(MailServer.ALICE, message("third note", "To be archived."));

        assertThat(ok("client", "sync").out()).startsWith("work: ").contains(" 3 new,");

        List<String> table = ok("client", "list").lines();
        assertThat(table.getFirst()).startsWith("ID").contains("DATE", "FROM", "SUBJECT", "FLAGS", "SIZE");
        assertThat(table).hasSize(4).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(120));
        assertThat(String.join("\n", table)).contains("first note", "second note", "third note", "Carol");
        List<Map<String, Object>> listed = MiniJson.array(ok("client", "list", "INBOX", "--json").out());
        assertThat(listed).hasSize(3).allSatisfy(m -> assertThat(m).containsKeys("id", "folder", "uid", "date", "from",
                "to", "cc", "subject", "message_id", "flags", "size", "has_attachments", "state"));
        assertThat(ok("client", "list", "--limit", "1").lines()).hasSize(2);

        long first = id("INBOX", "first note");
        String read = ok("client", "read", Long.toString(first)).out();
        assertThat(read).contains("From: Carol <carol@example.net>", "Subject: first note", "Hello Alice,\nthe first one.");
        Map<String, Object> readJson = MiniJson.object(ok("client", "read", Long.toString(first), "--json").out());
        assertThat(readJson.get("text")).asString().contains("the first one.");
        assertThat(readJson.get("flags")).asString().contains("\\Seen");

        assertThat(MiniJson.array(ok("client", "search", "archived", "--json").out()))
                .extracting(m -> m.get("subject")).containsExactly("third note");

        // compose with an attachment, sent at once: it arrives at bob
        Path report = Files.writeString(dir.resolve("report.txt"), "figures\n");
        assertThat(okIn("Dear Bob,\nthe report.\n", "client", "send", "--to", MailServer.BOB, "--subject", "the report",
                "--attach", report.toString()).out()).isEqualTo("message sent\n");
        MessageMeta atBob = server.bySubject(MailServer.BOB, "INBOX", "the report").orElseThrow();
        String arrived = server.content(MailServer.BOB, "INBOX", atBob.uid());
        assertThat(arrived).contains("From: alice@example.org", "Dear Bob,", "report.txt");
        assertThat(server.bySubject(MailServer.ALICE, "Sent", "the report")).isPresent();
        assertThat(ok("client", "outbox").out()).isEqualTo("the outbox is empty\n");

        // reply: to Carol is remote (relayed), so reply to a message from bob instead
        server.deliver(MailServer.ALICE, "From: bob@example.org\r\nTo: alice@example.org\r\nSubject: lunch?\r\n"
                + "Message-ID: <lunch@example.org>\r\n\r\nToday at noon?\r\n");
        ok("client", "sync");
        long lunch = id("INBOX", "lunch?");
        assertThat(okIn("Yes.\n", "client", "reply", Long.toString(lunch)).out()).isEqualTo("reply sent\n");
        MessageMeta reply = server.bySubject(MailServer.BOB, "INBOX", "Re: lunch?").orElseThrow();
        assertThat(server.content(MailServer.BOB, "INBOX", reply.uid())).contains("In-Reply-To: <lunch@example.org>", "Yes.",
                "> Today at noon?");

        // offline changes, then sync: flagged, deleted and moved on the server
        long second = id("INBOX", "second note"), third = id("INBOX", "third note");
        assertThat(ok("client", "flag", Long.toString(first), "+flagged", "-seen").out()).isEqualTo(first + ": \\Flagged\n");
        assertThat(ok("client", "delete", Long.toString(second)).out()).isEqualTo("deleted " + second + "\n");
        assertThat(ok("client", "move", Long.toString(third), "Archive").out()).isEqualTo("moved " + third + " from INBOX to Archive\n");
        assertThat(ok("client", "list", "--json").out()).doesNotContain("second note", "third note");
        ok("client", "sync", "work");

        MessageMeta f = server.bySubject(MailServer.ALICE, "INBOX", "first note").orElseThrow();
        assertThat(f.flags().names()).contains("\\Flagged").doesNotContain("\\Seen");
        assertThat(server.bySubject(MailServer.ALICE, "INBOX", "second note")).isEmpty();
        assertThat(server.bySubject(MailServer.ALICE, "INBOX", "third note")).isEmpty();
        assertThat(server.bySubject(MailServer.ALICE, "Archive", "third note")).isPresent();
        assertThat(server.bySubject(MailServer.ALICE, "INBOX", "lunch?").orElseThrow().flags().names()).contains("\\Answered");

        List<Map<String, Object>> folders = MiniJson.array(ok("client", "folders", "--json").out());
        assertThat(folders).extracting(m -> m.get("name")).contains("INBOX", "Sent", "Archive");
    }

    @Test
    void attachmentsAreListedAndSavedAndQueuedMailWaitsForFlush() throws IOException {
        addAccount("work", MailServer.ALICE, MailServer.PASSWORD);
        Path pdf = Files.write(dir.resolve("plan.bin"), new byte[] {1, 2, 3, 4, 5});
        assertThat(okIn("see attached\n", "client", "send", "--queue", "--to", MailServer.ALICE, "--subject", "plan",
                "--attach", pdf.toString()).out()).isEqualTo("message queued in the outbox (send it with `postern client send --flush` or sync)\n");
        List<Map<String, Object>> outbox = MiniJson.array(ok("client", "outbox", "--json").out());
        assertThat(outbox).singleElement().satisfies(e -> {
            assertThat(e.get("state")).isEqualTo("queued");
            assertThat(e.get("recipients")).isEqualTo(List.of(MailServer.ALICE));
        });
        assertThat(server.bySubject(MailServer.ALICE, "INBOX", "plan")).isEmpty();

        assertThat(ok("client", "send", "--flush").out()).isEqualTo("1 message sent\n");
        ok("client", "sync");
        long id = id("INBOX", "plan");
        // was "postern: <the path>" (the FileAlreadyExistsException's message)
        assertThat(fails("", "client", "read", Long.toString(id), "--save-attachments", pdf.toString()))
                .isEqualTo("postern: --save-attachments: " + pdf + " is a file, not a directory");
        Path saveDir = dir.resolve("saved");
        String read = ok("client", "read", Long.toString(id), "--save-attachments", saveDir.toString()).out();
        assertThat(read).contains("see attached", "Attachments:", "[1] plan.bin");
        assertThat(Files.readAllBytes(saveDir.resolve("plan.bin"))).containsExactly(1, 2, 3, 4, 5);
        assertThat(ok("client", "list").lines().get(1)).endsWith("@");
    }

    @Test
    void aSelfSignedServerIsTrustedThroughItsCertificateFileAndRefusedWithoutIt() throws IOException {
        Path pw = passwordFile("alice.pw", MailServer.PASSWORD, "rw-------");
        Path cert = dir.resolve("server").resolve("tls").resolve("cert.pem");   // what MailServer's first start wrote
        String imaps = Integer.toString(server.port("imaps")), submissions = Integer.toString(server.port("smtp-submissions"));
        ok("client", "account", "add", "untrusted", "--address", MailServer.ALICE, "--host", "127.0.0.1", "--port", imaps,
                "--smtp-port", submissions, "--password-file", pw.toString());
        assertThat(fails("", "client", "sync", "untrusted")).contains("certificate is not trusted", "certificate_file");

        String added = ok("client", "account", "add", "trusted", "--address", MailServer.ALICE, "--host", "127.0.0.1",
                "--port", imaps, "--smtp-port", submissions, "--password-file", pw.toString(),
                "--certificate-file", cert.toString()).out();
        assertThat(added).contains("trusting certificate CN=mail.example.org (" + cert + ")");
        assertThat(Files.readString(home.resolve("accounts.toml"))).contains("certificate_file = \"" + cert + "\"");
        server.deliver(MailServer.ALICE, message("over tls", "Read over implicit TLS."));
        assertThat(ok("client", "sync", "trusted").out()).contains(" 1 new,");
        okIn("hello over TLS\n", "client", "send", "-a", "trusted", "--to", MailServer.BOB, "--subject", "tls submit");
        assertThat(server.bySubject(MailServer.BOB, "INBOX", "tls submit")).isPresent();

        // a file that is not a certificate is refused when the account is added, not at the first sync
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        assertThat(fails("", "client", "account", "add", "wrong", "--address", MailServer.ALICE, "--host", "127.0.0.1",
                "--certificate-file", notPem.toString())).startsWith("postern: certificate file " + notPem + " holds no certificate");
        assertThat(fails("", "client", "account", "add", "missing", "--address", MailServer.ALICE, "--host", "127.0.0.1",
                "--certificate-file", dir.resolve("nowhere.pem").toString())).contains("does not exist");
    }

    @Test
    void sendingWhileTheServerIsDownQueuesAndSaysSo() throws IOException {
        addAccount("work", MailServer.ALICE, MailServer.PASSWORD);
        server.close();
        Result r = okIn("hello\n", "client", "send", "--to", MailServer.BOB, "--subject", "offline");
        assertThat(r.out()).startsWith("message queued in the outbox: the server cannot be reached now (");
        assertThat(MiniJson.array(ok("client", "outbox", "--json").out())).hasSize(1);
        assertThat(fails("", "client", "sync")).startsWith("postern: cannot connect to 127.0.0.1:");
    }

    @Test
    void listColumnsFitTheWidth() throws IOException {
        addAccount("work", MailServer.ALICE, MailServer.PASSWORD);
        server.deliver(MailServer.ALICE, message("a subject long enough to be cut on a narrow terminal of sixty columns", "x"));
        ok("client", "sync");
        env.put("COLUMNS", "60");
        List<String> lines = ok("client", "list").lines();
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(60));
        assertThat(lines.get(1)).contains("…");
    }

    @Test
    void onATerminalTheMessageIsWrittenInTheEditor() throws IOException {
        addAccount("work", MailServer.ALICE, MailServer.PASSWORD);
        terminal = Optional.of(prompt -> { throw new AssertionError("no password prompt expected: " + prompt); });
        // The "editor" fills in the template as a person would: recipient, subject, text.
        env.put("EDITOR", "sed -i -e 's/^To: $/To: Bob <bob@example.org>/' -e 's/^Subject: $/Subject: from the editor/' "
                + "-e '$a Written in the editor.'");
        assertThat(ok("client", "send").out()).isEqualTo("message sent\n");
        MessageMeta m = server.bySubject(MailServer.BOB, "INBOX", "from the editor").orElseThrow();
        assertThat(server.content(MailServer.BOB, "INBOX", m.uid())).contains("To: Bob <bob@example.org>", "Written in the editor.");

        env.put("EDITOR", "true");   // leaves the template as it was: nothing is sent
        assertThat(fails("", "client", "send", "--to", MailServer.BOB)).isEqualTo("postern: message not changed: nothing sent");
        assertThat(ok("client", "outbox").out()).isEqualTo("the outbox is empty\n");
    }

    @Test
    void pop3AccountAsksForThePasswordAndAWrongOneIsOneLine() throws IOException {
        ok("client", "account", "add", "pop", "--address", MailServer.ALICE, "--protocol", "pop3", "--host", "127.0.0.1",
                "--port", Integer.toString(server.port("pop3")), "--security", "plaintext", "--smtp-port",
                Integer.toString(server.port("smtp-submission")));
        server.deliver(MailServer.ALICE, message("by pop", "Downloaded over POP3."));
        List<String> prompts = new ArrayList<>();
        terminal = Optional.of(prompt -> { prompts.add(prompt); return Optional.of(MailServer.PASSWORD.toCharArray()); });

        assertThat(ok("client", "sync", "pop").out()).startsWith("pop: 1 folder, 1 new,");
        assertThat(prompts).containsExactly("Password for alice@example.org (account pop): ");
        assertThat(ok("client", "read", Long.toString(id("INBOX", "by pop"))).out()).contains("Downloaded over POP3.");
        assertThat(server.messages(MailServer.ALICE, "INBOX")).hasSize(1);   // left on the server by default

        // a typo at the prompt costs a retype, not a new run: asked again, up to Remote.PROMPT_ATTEMPTS passwords
        List<String> answers = new ArrayList<>(List.of("wrong", MailServer.PASSWORD));
        prompts.clear();
        terminal = Optional.of(prompt -> { prompts.add(prompt); return Optional.of(answers.removeFirst().toCharArray()); });
        server.deliver(MailServer.ALICE, message("second by pop", "After a retyped password."));
        Result retyped = run("", "client", "sync", "pop");
        assertThat(retyped.exit()).as(retyped.err()).isZero();
        assertThat(retyped.out()).startsWith("pop: 1 folder, 1 new,");
        assertThat(retyped.err()).startsWith("the server refused the login (").contains("); try again (2 of 3)\n");
        assertThat(prompts).hasSize(2);

        prompts.clear();
        terminal = Optional.of(prompt -> { prompts.add(prompt); return Optional.of("wrong".toCharArray()); });
        Result refused = run("", "client", "sync", "pop");
        assertThat(refused.exit()).isEqualTo(Main.FAILED);
        assertThat(prompts).hasSize(Remote.PROMPT_ATTEMPTS);
        assertThat(refused.err().lines().toList()).hasSize(Remote.PROMPT_ATTEMPTS).last().asString()
                .startsWith("postern: the server refused the login (")
                .endsWith("): check the account's user and its password source");
        terminal = Optional.empty();
        assertThat(fails("", "client", "sync", "pop")).isEqualTo("postern: account pop: no terminal to ask for the password; "
                + "set password_file or password_command in accounts.toml");
    }

    @Test
    void replyAllReachesEveryoneButMeAndForwardAttachesTheOriginal() throws IOException {
        addAccount("work", MailServer.ALICE, MailServer.PASSWORD);
        server.deliver(MailServer.ALICE, "From: Bob <bob@example.org>\r\nTo: alice@example.org, Carol <carol@example.org>\r\n"
                + "Subject: plans\r\nMessage-ID: <plans@example.org>\r\n\r\nShall we?\r\n");
        ok("client", "sync");
        long plans = id("INBOX", "plans");

        assertThat(okIn("Sure.\n", "client", "reply-all", Long.toString(plans)).out()).isEqualTo("reply sent\n");
        MessageMeta atCarol = server.bySubject(MailServer.CAROL, "INBOX", "Re: plans").orElseThrow();
        String reply = server.content(MailServer.CAROL, "INBOX", atCarol.uid());
        assertThat(reply).contains("To: Bob <bob@example.org>", "Cc: Carol <carol@example.org>", "In-Reply-To: <plans@example.org>")
                .doesNotContain("Cc: alice");
        assertThat(server.bySubject(MailServer.BOB, "INBOX", "Re: plans")).isPresent();

        assertThat(okIn("FYI\n", "client", "forward", Long.toString(plans), "--to", MailServer.CAROL).out())
                .isEqualTo("forward sent\n");
        MessageMeta fwd = server.bySubject(MailServer.CAROL, "INBOX", "Fwd: plans").orElseThrow();
        assertThat(server.content(MailServer.CAROL, "INBOX", fwd.uid())).contains("message/rfc822", "FYI", "Shall we?");
        assertThat(fails("", "client", "forward", Long.toString(plans))).isEqualTo("postern: forward needs --to ADDRESS");
    }
}
