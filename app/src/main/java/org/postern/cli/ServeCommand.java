package org.postern.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder so that Main compiles: the lead's ServeCommand.java replaces this file. */
@Command(name = "serve", description = "Run the server.")
public final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("postern serve: not wired yet");
        return Main.FAILED;
    }
}
