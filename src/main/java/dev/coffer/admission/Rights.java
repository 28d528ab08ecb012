package dev.coffer.admission;

import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.credential.Caller;
import dev.coffer.permission.AccessService;
import dev.coffer.repository.RepositoryService;
import java.util.Objects;
import java.util.Set;

/** What a {@link Requirement} may ask about a caller's rights and the repositories. */
public interface Rights {
    boolean allows(Caller caller, Action action, String repo, ArtifactPath path);

    /** May the action be allowed on {@code folder} or somewhere below it? */
    boolean mayActUnder(Caller caller, Action action, String repo, ArtifactPath folder);

    /** Why the action is refused, for the error message (built only for a refusal). */
    String whyNot(Caller caller, Action action, String repo, ArtifactPath path);

    Set<Action> actionsIn(Caller caller, String repo);

    boolean repositoryExists(String repo);

    /** The rights the services grant. */
    static Rights of(AccessService access, RepositoryService repositories) {
        Objects.requireNonNull(access);
        Objects.requireNonNull(repositories);
        return new Rights() {
            @Override
            public boolean allows(Caller caller, Action action, String repo, ArtifactPath path) {
                return access.allows(caller, action, repo, path);
            }

            @Override
            public boolean mayActUnder(Caller caller, Action action, String repo, ArtifactPath folder) {
                return access.mayActUnder(caller, action, repo, folder);
            }

            @Override
            public String whyNot(Caller caller, Action action, String repo, ArtifactPath path) {
                return access.decide(caller, action, repo, path).reason();
            }

            @Override
            public Set<Action> actionsIn(Caller caller, String repo) {
                return access.actionsIn(caller, repo);
            }

            @Override
            public boolean repositoryExists(String repo) {
                return repositories.find(repo).isPresent();
            }
        };
    }
}
