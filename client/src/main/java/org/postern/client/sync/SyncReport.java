package org.postern.client.sync;

import java.util.List;
import java.util.Optional;

/** What one sync did: per folder, what was sent from the outbox, and warnings that concern no single folder. */
public record SyncReport(List<Folder> folders, Optional<OutboxSender.Report> outbox, List<String> warnings) {
    public SyncReport {
        folders = List.copyOf(folders);
        warnings = List.copyOf(warnings);
    }

    /**
     * One folder: messages downloaded, messages whose flags the server changed, messages removed locally because
     * the server no longer has them, local changes pushed to the server, and warnings (a local change dropped by a
     * conflict rule, a folder kept because it still holds local changes, ...).
     */
    public record Folder(String name, int downloaded, int flagsUpdated, int expungedLocally, int pushed,
                         List<String> warnings) {
        public Folder {
            warnings = List.copyOf(warnings);
        }
    }

    public int downloaded() {
        return folders.stream().mapToInt(Folder::downloaded).sum();
    }

    /** Every warning, the folder's name in front of a folder's. */
    public List<String> allWarnings() {
        var out = new java.util.ArrayList<>(warnings);
        for (Folder f : folders) for (String w : f.warnings()) out.add(f.name() + ": " + w);
        outbox.ifPresent(o -> out.addAll(o.warnings()));
        return out;
    }
}
