package org.postern.cli;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.postern.server.config.ConfigException;
import org.postern.server.directory.Directory;
import org.postern.server.directory.DirectoryException;
import org.postern.server.directory.sqlite.SqliteDirectory;
import org.postern.server.export.ExportException;
import org.postern.server.net.ListenerException;
import org.postern.server.tls.TlsException;
import org.postern.server.store.MailStore;
import org.postern.server.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code postern} command. Errors meant for people (unknown domain, duplicate account, bad option) end the
 * run with exit code 1 and one line on standard error that says what is wrong and how to fix it; no stack
 * traces. The admin commands open the directory (and the store) for each run and cache nothing, so they
 * can run beside a running server.
 */
@Command(name = "postern", description = "A complete Internet mail system: server, admin commands.")
public final class Main implements Callable<Integer> {
    /** Exit code for every failure: bad usage, refused request, broken store. */
    public static final int FAILED = 1;

    /** The subcommands, in the order {@code postern --help} lists them. */
    static final List<Class<?>> COMMANDS = List.of(
            ServeCommand.class,
            DomainCommand.class,
            UserCommand.class,
            AliasCommand.class,
            ExportCommand.class,
            QueueCommand.class,
            org.postern.cli.client.ClientCommand.class);   // `postern client ...`: the mail client

    /** Commands that have subcommands of their own, and those subcommands in the order their help lists them. */
    private static final Map<Class<?>, List<Class<?>>> SUBCOMMANDS = Map.of(
            Main.class, COMMANDS,
            org.postern.cli.client.ClientCommand.class, org.postern.cli.client.ClientCommand.COMMANDS);

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
    boolean help;

    @Spec
    CommandSpec spec;

    final Invocation inv;

    private Main(Invocation inv) {
        this.inv = inv;
    }

    public static void main(String[] args) {
        System.exit(run(Invocation.system(), args));
    }

    /** Runs one command line; returns the exit code. */
    public static int run(Invocation inv, String... args) {
        CommandLine cl = commandLine(inv, args);
        cl.setOut(inv.out());
        cl.setErr(inv.err());
        cl.setParameterExceptionHandler((e, ignored) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            inv.err().println(command + ": " + usageError(e) + " (see `" + command + " --help`)");
            return FAILED;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            inv.err().println("postern: " + message(e));
            return FAILED;
        });
        try {
            return cl.execute(args);
        } finally {
            inv.out().flush();
            inv.err().flush();
        }
    }

    /**
     * The command tree for {@code args}: of each level's subcommands only the one {@code args} names, or all of them
     * when it names none (help, a typo: picocli then lists them all or suggests one). Picocli builds a command's model
     * by reflection over its annotations, in the interpreter since its classes are too old for the JDK's AOT cache
     * ("Old class has been linked"); the whole tree took 340-375 ms of every run on a 2-CPU machine, most of a
     * no-change {@code client sync}.
     */
    static CommandLine commandLine(Invocation inv, String... args) {
        CommandLine root = new CommandLine(new Main(inv));
        Deque<String> words = new ArrayDeque<>();
        for (String a : args) if (!a.startsWith("-")) words.add(a);
        addSubcommands(root, Main.class, words);
        return root;
    }

    private static void addSubcommands(CommandLine parent, Class<?> command, Deque<String> words) {
        List<Class<?>> subs = SUBCOMMANDS.getOrDefault(command, List.of());
        if (subs.isEmpty()) return;
        String word = words.poll();
        boolean named = subs.stream().anyMatch(c -> names(c).contains(word));
        for (Class<?> c : subs) {
            if (named && !names(c).contains(word)) continue;
            CommandLine sub = new CommandLine(c);
            parent.addSubcommand(sub);   // first, so it inherits --help before its own subcommands are added
            addSubcommands(sub, c, named ? words : new ArrayDeque<>());
        }
    }

    private static List<String> names(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(c.aliases()));
        names.add(c.name());
        return names;
    }

    /**
     * What was wrong with the command line, without echoing stray arguments: one of them may be a password
     * someone tried to pass ({@code user add a@b --password s3cret}), which must not end up in a terminal log.
     */
    static String usageError(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) return e.getMessage();
        String first = u.getUnmatched().getFirst();
        if (first.startsWith("-")) return "unknown option " + first.split("=", 2)[0];
        if (!u.getCommandLine().getSubcommands().isEmpty() && u.getCommandLine().getCommandSpec().positionalParameters().isEmpty())
            return "unknown command '" + first + "'";
        return "unexpected argument (" + u.getUnmatched().size() + " more than the command takes)";
    }

    /** The one line for a failure: the sentence for people when there is one, else what broke. */
    static String message(Throwable e) {
        Throwable t = e instanceof CommandLine.ExecutionException && e.getCause() != null ? e.getCause() : e;
        return switch (t) {
            case DirectoryException d -> d.getMessage();
            case ExportException x -> x.getMessage();
            case CliException c -> c.getMessage();
            case ConfigException c -> c.getMessage();   // one line per problem: file:line: key: what is wrong
            case StoreException s -> "store failure: " + s.getMessage();
            case ListenerException l -> l.getMessage();    // a port in use, with the key to change
            case TlsException x -> x.getMessage();         // a missing or unreadable certificate
            case java.io.UncheckedIOException io -> io.getMessage();
            default -> "internal error: " + t;   // a bug: the type helps whoever reads the report
        };
    }

    /** No subcommand: the usage, as a failure (nothing was done). */
    @Override
    public Integer call() {
        spec.commandLine().usage(inv.err());
        return FAILED;
    }

    /** This run's streams, environment and terminal, for the command packages outside this one (the client's). */
    public Invocation invocation() {
        return inv;
    }

    Directory directory(DataOptions data) {
        return SqliteDirectory.open(data.dataDir(inv.env()));
    }

    MailStore store(DataOptions data) {
        return inv.stores().open(data.dataDir(inv.env()));
    }

    PrintWriter out() {
        return inv.out();
    }
}
