package dev.coffer.admission;

import dev.coffer.common.Action;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.credential.Caller;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a request needs before its handler runs: rules as data, each deciding for a caller whose
 * credentials checked out. Every route declares one (deny by default: a test walks the route
 * table), and a new kind of rule is a new variant here, so the compiler asks it to decide.
 * Repository rules decide on the validated repository and path before anything is looked up, so
 * a refusal answers the same whether the path exists or not.
 */
public sealed interface Requirement {

    /** Met or not, for {@code caller}; reads of the request and of {@code rights} only, no side effects. */
    Result decide(Caller caller, RequestView request, Rights rights);

    /** Open to every caller, including anonymous; the handler shows only what the caller may see. */
    record Anyone(String why) implements Requirement {
        public Anyone {
            Objects.requireNonNull(why, "why");
        }

        @Override
        public Result decide(Caller caller, RequestView request, Rights rights) {
            return Result.Admitted.caller(caller);
        }
    }

    /** Any caller with credentials. */
    record Authenticated() implements Requirement {
        @Override
        public Result decide(Caller caller, RequestView request, Rights rights) {
            return caller.isAnonymous() ? denied(caller, Refusals.needsCredentials()) : Result.Admitted.caller(caller);
        }
    }

    /** An administrator, with a credential that carries administrator rights. */
    record Admin() implements Requirement {
        @Override
        public Result decide(Caller caller, RequestView request, Rights rights) {
            if (caller.isAnonymous()) {
                return denied(caller, Refusals.needsCredentials());
            }
            return caller.isAdmin() ? Result.Admitted.caller(caller) : denied(caller, Refusals.needsAdmin());
        }
    }

    /**
     * An administrator, or the user named by the path parameter {@code userParam} themself.
     */
    record SelfOrAdmin(String userParam) implements Requirement {
        public SelfOrAdmin {
            Objects.requireNonNull(userParam, "userParam");
        }

        @Override
        public Result decide(Caller caller, RequestView request, Rights rights) {
            if (caller.isAnonymous()) {
                return denied(caller, Refusals.needsCredentials());
            }
            String user = request.pathParam(userParam);
            if (caller.isAdmin() || (user != null && user.equals(caller.username()))) {
                return Result.Admitted.caller(caller);
            }
            return denied(caller, Refusals.denied(caller, "only administrators may read other users"));
        }
    }

    /**
     * {@code action} on the repository and path the {@code locator} finds in the request. A read is
     * also let through when something below the path is readable (a folder listing leads to what
     * the caller may read), with {@link Result.Admitted#targetAllowed()} false.
     */
    record RepoAction(Action action, Locator locator) implements Requirement {
        public RepoAction {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(locator, "locator");
        }

        @Override
        public Result decide(Caller caller, RequestView request, Rights rights) {
            RepoTarget t;
            try {
                t = locator.locate(request);
            } catch (CofferException e) {
                return new Result.Invalid(caller, e.failure());
            }
            if (rights.allows(caller, action, t.repo(), t.path())) {
                return new Result.Admitted(caller, Optional.of(t), true);
            }
            if (action == Action.READ && rights.mayActUnder(caller, action, t.repo(), t.path())) {
                return new Result.Admitted(caller, Optional.of(t), false);
            }
            // the explanation is built only for a refusal
            return new Result.Denied(
                    caller, Refusals.denied(caller, rights.whyNot(caller, action, t.repo(), t.path())), Optional.of(t));
        }
    }

    /** Some action somewhere in the repository named by the path parameter {@code repoParam}. */
    record RepoSomeAction(String repoParam) implements Requirement {
        public RepoSomeAction {
            Objects.requireNonNull(repoParam, "repoParam");
        }

        @Override
        public Result decide(Caller caller, RequestView request, Rights rights) {
            String repo = request.pathParam(repoParam);
            if (repo == null || rights.actionsIn(caller, repo).isEmpty()) {
                return denied(caller, Refusals.denied(caller, "no action on repository '" + repo + "'"));
            }
            return Result.Admitted.caller(caller);
        }
    }

    /**
     * Managing the repository named by the path parameter {@code repoParam}: an administrator, or
     * the manage (m) action somewhere in it; creating one needs an administrator.
     */
    record RepoManage(String repoParam) implements Requirement {
        public RepoManage {
            Objects.requireNonNull(repoParam, "repoParam");
        }

        @Override
        public Result decide(Caller caller, RequestView request, Rights rights) {
            String repo = request.pathParam(repoParam);
            Failure refusal = repo == null
                    ? Refusals.denied(caller, "no repository named")
                    : refusal(caller, repo, rights.repositoryExists(repo), () -> rights.actionsIn(caller, repo));
            return refusal == null ? Result.Admitted.caller(caller) : denied(caller, refusal);
        }

        /**
         * The rule, also applied where a change is written, on the repository as it is then; null
         * when the caller may manage it.
         */
        public static Failure refusal(Caller caller, String repo, boolean exists, Supplier<Set<Action>> actionsIn) {
            if (caller.isAdmin()) {
                return null;
            }
            if (caller.isAnonymous()) {
                return Refusals.needsCredentials();
            }
            if (exists && actionsIn.get().contains(Action.MANAGE)) {
                return null;
            }
            return Refusals.denied(
                    caller,
                    exists
                            ? "updating repository '" + repo + "' needs the manage (m) action"
                            : "creating a repository needs an administrator");
        }
    }

    private static Result denied(Caller caller, Failure failure) {
        return new Result.Denied(caller, failure, Optional.empty());
    }
}
