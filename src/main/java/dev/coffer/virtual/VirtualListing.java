package dev.coffer.virtual;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.authz.PathSet;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.Caller;
import dev.coffer.repository.Repository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of a virtual repository: the children of that folder in every member, merged by name
 * (the first member in order shows its entry). A member's file is listed only where a download
 * through the virtual repository could serve it: inside the member's patterns, not kept from a
 * remote member by namespace protection, and readable by the caller on the virtual repository and,
 * seen through it, on the member. A folder is listed when some file below it is.
 */
public final class VirtualListing {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualListing.class);

    private final VirtualResolver resolver;

    public VirtualListing(VirtualResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver);
    }

    /**
     * The readable children of {@code folder}; empty when below a folder other than the root
     * nothing is readable (to this caller, a folder that does not exist).
     *
     * @throws CofferException the first member's outage, when nothing could be listed and some member failed
     */
    public Optional<List<ArtifactService.Child>> children(Repository virtual, Caller caller, ArtifactPath folder) {
        List<Repository> members = resolver.members(virtual);
        Namespaces namespaces = resolver.namespaces(virtual, members);
        Map<String, ArtifactService.Child> out = new TreeMap<>();
        CofferException outage = null;
        for (Repository member : members) {
            PathSet filter = resolver.filterOf(member);
            if (!filter.reachesUnder(folder)) {
                continue;
            }
            Predicate<ArtifactPath> readable = p -> filter.contains(p)
                    && !(member.isRemote() && namespaces.protects(p))
                    && resolver.rights().allows(caller, Action.READ, virtual.name(), p)
                    && resolver.mayRead(virtual, member, caller, p);
            try {
                resolver.contentOf(member)
                        .children(member, folder, readable)
                        .ifPresent(children -> children.forEach(c -> out.putIfAbsent(c.name(), c)));
            } catch (CofferException e) {
                if (!(e.failure() instanceof Failure.NotFound)) {
                    LOG.warn(
                            "member '{}' of virtual repository '{}' could not list {}: {}",
                            member.name(),
                            virtual.name(),
                            folder,
                            e.getMessage());
                    outage = outage == null ? e : outage;
                }
            }
        }
        if (out.isEmpty() && outage != null) {
            throw outage;
        }
        if (out.isEmpty() && !folder.isRoot()) {
            return Optional.empty();
        }
        return Optional.of(new ArrayList<>(out.values()));
    }
}
