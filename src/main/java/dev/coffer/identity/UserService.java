package dev.coffer.identity;

import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.common.Invalidation;
import dev.coffer.common.Redaction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users and groups. Users are read on every authenticated request, so lookups by name are
 * cached; every change goes through here and drops the cached entry before it returns.
 */
public final class UserService {
    private final UserStore store;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final Clock clock;
    private final Invalidation invalidation;
    private final Map<String, Optional<User>> cache = new ConcurrentHashMap<>();
    private final Map<Long, String> namesById = new ConcurrentHashMap<>();

    public UserService(
            UserStore store, PasswordHasher hasher, PasswordPolicy policy, Clock clock, Invalidation invalidation) {
        this.store = Objects.requireNonNull(store);
        this.hasher = Objects.requireNonNull(hasher);
        this.policy = Objects.requireNonNull(policy);
        this.clock = Objects.requireNonNull(clock);
        this.invalidation = Objects.requireNonNull(invalidation);
        invalidation.subscribe(e -> {
            if (e instanceof Invalidation.UserChanged u) {
                cache.remove(u.username());
            } else if (e instanceof Invalidation.Everything) {
                cache.clear();
            }
        });
    }

    public static boolean isValidName(String name) {
        return dev.coffer.common.Names.valid(name, "._@-");
    }

    public Optional<User> find(String username) {
        if (!isValidName(username)) {
            return Optional.empty();
        }
        // computeIfAbsent is atomic with the remove of an invalidation, so a change can never be
        // overwritten by a load that started before it; only hits are cached (unknown names must
        // not fill memory)
        Optional<User> cached = cache.computeIfAbsent(username, n -> {
            Optional<User> loaded = store.findUser(n);
            return loaded.isPresent() ? loaded : null;
        });
        return cached == null ? Optional.empty() : cached;
    }

    /** By id, as keys and tokens refer to their owner; cached like lookups by name. */
    public Optional<User> findById(long id) {
        String name = namesById.get(id);
        if (name != null) {
            Optional<User> u = find(name);
            if (u.isPresent() && u.get().id() == id) {
                return u;
            }
            namesById.remove(id, name);
        }
        Optional<User> loaded = store.findUserById(id);
        loaded.ifPresent(u -> namesById.put(id, u.username()));
        return loaded.flatMap(u -> find(u.username()));
    }

    public List<User> list() {
        return store.listUsers();
    }

    public boolean verifyPassword(User user, String password) {
        return hasher.verify(password, user.passwordHash());
    }

    /**
     * Stands in for a user that does not exist when a password is checked: disabled, and with a
     * hash made exactly like a real one, so refusing an unknown name costs what a wrong password
     * costs (SECURITY-CHECKLIST item 10).
     */
    public User decoy() {
        return new User(0, "", hasher.decoyHash(), null, false, true, Set.of(), 0, 0);
    }

    /**
     * Refuses (400 {@code password_invalid}) a password that {@link #put} would refuse for this
     * user, for callers that check before other work (a login, the first start).
     */
    public void checkPassword(String username, String password) {
        policy.check(username, password);
    }

    public record UserChange(String password, String email, Boolean admin, List<String> groups, Boolean disabled) {}

    public record Saved(User user, boolean created) {}

    public synchronized Saved put(String username, UserChange change) {
        if (!isValidName(username)) {
            throw CofferException.invalid(
                    "name_invalid",
                    "user names are 1-64 characters of letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        if (Redaction.secretShaped(username)) {
            // such a name in a Basic header is taken for a key or token (and never stored), so no user has one
            throw CofferException.invalid(
                    "name_invalid",
                    "username: a user name may not contain "
                            + String.join(", ", Redaction.prefixes())
                            + ", which mark access keys and tokens");
        }
        if (change.password() != null) {
            policy.check(username, change.password());
        }
        Set<String> groups = change.groups() == null ? null : checkGroups(change.groups());
        long now = clock.millis();
        Optional<User> current = store.findUser(username);
        Saved saved;
        if (current.isEmpty()) {
            if (change.password() == null) {
                throw CofferException.invalid("password_required", "a new user needs a password");
            }
            User created = store.insertUser(new User(
                    0,
                    username,
                    hasher.hash(change.password()),
                    change.email(),
                    Boolean.TRUE.equals(change.admin()),
                    Boolean.TRUE.equals(change.disabled()),
                    groups == null ? Set.of() : groups,
                    now,
                    now));
            saved = new Saved(created, true);
        } else {
            User u = current.get();
            User next = new User(
                    u.id(),
                    username,
                    change.password() == null ? u.passwordHash() : hasher.hash(change.password()),
                    change.email() == null ? u.email() : change.email(),
                    change.admin() == null ? u.admin() : change.admin(),
                    change.disabled() == null ? u.disabled() : change.disabled(),
                    groups == null ? u.groups() : groups,
                    u.createdAt(),
                    now);
            if ((u.admin() && !u.disabled()) && (!next.admin() || next.disabled())) {
                requireAnotherAdmin(username);
            }
            store.updateUser(next);
            saved = new Saved(next, false);
            if (change.password() != null) {
                invalidation.publish(new Invalidation.PasswordChanged(username, u.id()));
            }
        }
        invalidation.publish(new Invalidation.UserChanged(username));
        return saved;
    }

    public synchronized boolean delete(String username) {
        Optional<User> u = store.findUser(username);
        if (u.isEmpty()) {
            return false;
        }
        if (u.get().admin() && !u.get().disabled()) {
            requireAnotherAdmin(username);
        }
        // also removes the user from every permission target (see UserStore), so a new account of
        // this name starts with nothing; the index is rebuilt before the user's caches go
        boolean deleted = store.deleteUser(username);
        invalidation.publish(new Invalidation.PermissionsChanged());
        // the database may give the next user the same id: cached credentials of this one must go
        invalidation.publish(new Invalidation.UserDeleted(username, u.get().id()));
        invalidation.publish(new Invalidation.UserChanged(username));
        return deleted;
    }

    private void requireAnotherAdmin(String username) {
        boolean another = store.listUsers().stream()
                .anyMatch(o -> o.admin() && !o.disabled() && !o.username().equals(username));
        if (!another) {
            throw new CofferException(new Failure.Conflict(
                    "last_admin", "this is the last enabled administrator; make another user an administrator first"));
        }
    }

    private Set<String> checkGroups(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String g : names) {
            if (g == null || store.findGroup(g).isEmpty()) {
                throw CofferException.invalid("group_unknown", "there is no group named '" + g + "'");
            }
            out.add(g);
        }
        return out;
    }

    // ---- groups

    public record GroupView(Group group, List<String> members) {}

    public Optional<GroupView> findGroup(String name) {
        return store.findGroup(name).map(g -> new GroupView(g, store.groupMembers(name)));
    }

    public List<Group> listGroups() {
        return store.listGroups();
    }

    public record GroupSaved(GroupView group, boolean created) {}

    public synchronized GroupSaved putGroup(String name, String description, List<String> members) {
        if (!isValidName(name)) {
            throw CofferException.invalid(
                    "name_invalid",
                    "group names are 1-64 characters of letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        long now = clock.millis();
        Optional<Group> current = store.findGroup(name);
        Group next = current.map(
                        g -> new Group(name, description == null ? g.description() : description, g.createdAt(), now))
                .orElseGet(() -> new Group(name, description == null ? "" : description, now, now));
        Set<String> memberSet = null;
        if (members != null) {
            memberSet = new LinkedHashSet<>();
            for (String m : members) {
                if (m == null || store.findUser(m).isEmpty()) {
                    throw CofferException.invalid("user_unknown", "there is no user named '" + m + "'");
                }
                memberSet.add(m);
            }
        }
        List<String> before = store.groupMembers(name);
        store.upsertGroup(next);
        if (memberSet != null) {
            store.setGroupMembers(name, memberSet);
        }
        notifyMembers(before, memberSet == null ? List.of() : new ArrayList<>(memberSet));
        return new GroupSaved(new GroupView(next, store.groupMembers(name)), current.isEmpty());
    }

    public synchronized boolean deleteGroup(String name) {
        List<String> before = store.groupMembers(name);
        // with its grants (see UserStore): a group created later under this name starts with nothing
        boolean deleted = store.deleteGroup(name);
        if (deleted) {
            invalidation.publish(new Invalidation.PermissionsChanged());
        }
        notifyMembers(before, List.of());
        return deleted;
    }

    private void notifyMembers(List<String> a, List<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        for (String u : all) {
            invalidation.publish(new Invalidation.UserChanged(u));
        }
    }
}
