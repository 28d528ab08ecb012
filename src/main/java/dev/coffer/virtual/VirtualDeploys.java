package dev.coffer.virtual;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.Caller;
import dev.coffer.repository.Repository;
import java.util.List;
import java.util.Objects;

/**
 * Changes through a virtual repository (API.md §9): a deploy goes to its {@code defaultDeployRepo}
 * (a local member), with the right on the virtual repository (decided by admission) and on that
 * member, seen through the virtual repository; without one, and for every delete, 405.
 */
public final class VirtualDeploys {
    private final VirtualResolver resolver;

    public VirtualDeploys(VirtualResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver);
    }

    /**
     * Where a deploy of {@code path} lands, and whether it may replace a file there: Maven metadata
     * always (as on a local repository), anything else with {@code d} on the virtual repository and
     * on the member.
     */
    public record Target(Repository member, boolean mayOverwrite) {}

    /**
     * @throws CofferException 405 without a deploy target, 403 when the caller may not write to it
     */
    public Target target(Repository virtual, Caller caller, ArtifactPath path) {
        String name = VirtualResolver.settingsOf(virtual).defaultDeployRepo();
        Repository member = name == null
                ? null
                : resolver.find(name).filter(Repository::isLocal).orElse(null);
        if (member == null) {
            throw new CofferException(new Failure.MethodNotAllowed(
                    "method_not_allowed",
                    "virtual repository '" + virtual.name() + "' has no default deploy repository ("
                            + "defaultDeployRepo): deploy to one of its local members instead ("
                            + members(virtual) + ")",
                    List.of("GET", "HEAD")));
        }
        Caller through = caller.throughVirtual(virtual.name(), member.name());
        MemberRights rights = resolver.rights();
        if (!rights.allows(through, Action.WRITE, member.name(), path)) {
            throw new CofferException(new Failure.Denied(
                    "forbidden",
                    "deploying '" + path + "' through virtual repository '" + virtual.name()
                            + "' needs the write (w) action on it in its deploy repository '" + member.name()
                            + "' as well"));
        }
        boolean mayOverwrite = ArtifactService.isMavenMetadata(path)
                || (rights.allows(caller, Action.DELETE, virtual.name(), path)
                        && rights.allows(through, Action.DELETE, member.name(), path));
        return new Target(member, mayOverwrite);
    }

    /** The answer to a delete through a virtual repository: 405, naming where the files live. */
    public CofferException deleteRefused(Repository virtual) {
        boolean deploys = VirtualResolver.settingsOf(virtual).defaultDeployRepo() != null;
        return new CofferException(new Failure.MethodNotAllowed(
                "method_not_allowed",
                "files cannot be deleted through virtual repository '" + virtual.name()
                        + "': delete them in the member that holds them (" + members(virtual) + ")",
                deploys ? List.of("GET", "HEAD", "PUT") : List.of("GET", "HEAD")));
    }

    private static String members(Repository virtual) {
        List<String> names = VirtualResolver.settingsOf(virtual).members();
        return names.isEmpty() ? "it has no members" : String.join(", ", names);
    }
}
