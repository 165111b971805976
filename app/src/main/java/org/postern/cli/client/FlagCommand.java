package org.postern.cli.client;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code postern client flag ID [+|-]FLAG...}: set or clear flags offline; the next sync sends them as
 * {@code +FLAGS}/{@code -FLAGS} (decision 0005: a three-way merge, so another device's changes survive).
 */
@Command(name = "flag", description = "Set (+FLAG or FLAG) or clear (-FLAG) flags: seen, flagged, answered, draft, "
        + "or a keyword. Sent to the server by the next sync.")
final class FlagCommand extends StoreCommand {
    /** RFC 9051 §9 flag-keyword = atom: no specials, no controls, no space; and a sane length. */
    static final int MAX_KEYWORD_LENGTH = 100;

    @Parameters(index = "0", paramLabel = "ID")
    long id;
    @Parameters(index = "1..*", arity = "0..*", paramLabel = "[+|-]FLAG")
    List<String> changes = new java.util.ArrayList<>();
    /** {@code -seen} looks like an option to picocli: unknown "options" are flag changes here. */
    @picocli.CommandLine.Unmatched
    List<String> dashed = new java.util.ArrayList<>();
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    private List<String> ordered;

    @Override
    void check() {
        ordered = inOrder();
        if (ordered.isEmpty()) throw new CliException("which flags? e.g. `postern client flag " + id + " +flagged -seen`");
    }

    @Override
    void run(Context ctx, Account a, LocalStore store) {
        LocalStore.LocalMessage m = ReadCommand.message(store, id);
        Set<String> flags = new LinkedHashSet<>(m.flags());
        for (String c : ordered) {
            boolean remove = c.startsWith("-");
            String flag = flag(c.startsWith("+") || remove ? c.substring(1) : c);
            if (remove) flags.removeIf(f -> f.equalsIgnoreCase(flag));
            else if (flags.stream().noneMatch(f -> f.equalsIgnoreCase(flag))) flags.add(flag);
        }
        store.setFlags(m.id(), flags);
        ctx.out().println(id + ": " + (flags.isEmpty() ? "no flags" : String.join(" ", new java.util.TreeSet<>(flags))));
    }

    /** The changes in the order they were typed ({@code +seen -seen} ends unseen), from the original arguments. */
    private List<String> inOrder() {
        List<String> pool = new java.util.ArrayList<>(changes);
        pool.addAll(dashed);
        List<String> out = new java.util.ArrayList<>();
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            if (pool.remove(arg)) out.add(arg);
        }
        out.addAll(pool);
        for (String c : out) {
            if (c.startsWith("--")) throw new CliException("unknown option " + c.split("=", 2)[0]);
        }
        return out;
    }

    /** A word as an IMAP flag: the system flags by their names, anything else a keyword (RFC 9051 §2.3.2). */
    static String flag(String word) {
        String w = word.startsWith("\\") ? word.substring(1) : word;
        return switch (w.toLowerCase(Locale.ROOT)) {
            case "seen", "read" -> "\\Seen";
            case "flagged", "flag" -> "\\Flagged";
            case "answered", "replied" -> "\\Answered";
            case "draft" -> "\\Draft";
            case "deleted" -> throw new CliException("use `postern client delete ID` to delete a message");
            case "recent" -> throw new CliException("\\Recent is set by the server only");
            default -> {
                if (word.startsWith("\\")) throw new CliException("unknown system flag " + word);
                if (word.isEmpty() || word.length() > MAX_KEYWORD_LENGTH
                        || !word.chars().allMatch(ch -> ch > ' ' && ch < 127 && "(){%*\"\\]".indexOf(ch) < 0))
                    throw new CliException("not a flag or keyword: '" + word + "' (printable ASCII without ( ) { % * \" \\ ], "
                            + "at most " + MAX_KEYWORD_LENGTH + " characters)");
                yield word;
            }
        };
    }
}
