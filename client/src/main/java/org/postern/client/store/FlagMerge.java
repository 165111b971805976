package org.postern.client.store;

import java.util.Set;
import java.util.TreeSet;

/**
 * The three-way flag merge of decision 0005: {@code server + (local - base) - (base - local)}. What this device
 * added since the last sync is added, what it removed is removed, and every other flag is as the server says, so a
 * change to another flag made on another device survives.
 */
final class FlagMerge {
    private FlagMerge() {}

    static Set<String> merge(Set<String> server, Set<String> base, Set<String> local) {
        TreeSet<String> out = new TreeSet<>(server);
        for (String f : local) if (!base.contains(f)) out.add(f);
        for (String f : base) if (!local.contains(f)) out.remove(f);
        return out;
    }
}
