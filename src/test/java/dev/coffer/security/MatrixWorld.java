package dev.coffer.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * One random world of the route matrix: repositories with files, users and groups, permission
 * targets, and the scopes of the users' tokens, all drawn from one seed. It is also the oracle's
 * model of the server's state: probes that change something (and are expected to) update it.
 */
final class MatrixWorld {
    static final List<String> TOP = List.of("com", "comm", "org", "lib");
    static final List<String> MID = List.of("acme", "acmefoo", "x1", "x2", "1.0-SNAPSHOT");
    static final List<String> NAMES = List.of(
            "a.jar", "b.txt", "c.jar", "maven-metadata.xml", "maven-metadata.xml.sha1", "d-SNAPSHOT.jar", "e.xml");
    /** Instances of the glob segments of the pattern vocabulary, for {@link MatrixGlob#someMatch}. */
    static final List<String> GLOB_INSTANCES = List.of("Q", "Q.jar", "Q.txt", "Q-SNAPSHOT.jar", "acmeQ", "xQ", "Q.xml");

    static final String ACTIONS = "rwdam";

    /** A repository as the oracle believes it is now. */
    static final class Repo {
        final String name;
        boolean exists = true;
        boolean anonymousRead;
        String description;
        final TreeMap<String, FileState> files = new TreeMap<>();

        Repo(String name, boolean anonymousRead) {
            this.name = name;
            this.anonymousRead = anonymousRead;
            this.description = "repo " + name;
        }
    }

    /** A file's content and properties. */
    static final class FileState {
        String content;
        Map<String, List<String>> props = new TreeMap<>();

        FileState(String content) {
            this.content = content;
        }
    }

    record User(String name, String password, Set<String> groups, boolean disabled) {}

    record Target(
            String name,
            List<String> repos,
            List<String> includes,
            List<String> excludes,
            Map<String, String> users,
            Map<String, String> groups) {
        boolean names(String repo) {
            return repos.contains("*") || repos.contains(repo);
        }

        /** The actions this target gives a user directly or through any of their groups. */
        String actionsOf(User u) {
            StringBuilder sb = new StringBuilder(users.getOrDefault(u.name(), ""));
            for (String g : u.groups()) {
                sb.append(groups.getOrDefault(g, ""));
            }
            return sb.toString();
        }

        String actionsOfGroups(Set<String> gs) {
            StringBuilder sb = new StringBuilder();
            for (String g : gs) {
                sb.append(groups.getOrDefault(g, ""));
            }
            return sb.toString();
        }

        boolean whole() {
            return includes.contains("**") && excludes.isEmpty();
        }
    }

    /** One item of a token scope (API.md §5). */
    sealed interface ScopePart {
        String text();
    }

    record UserPart() implements ScopePart {
        public String text() {
            return "applied-permissions/user";
        }
    }

    record GroupsPart(Set<String> groups) implements ScopePart {
        public String text() {
            return "applied-permissions/groups:" + String.join(",", groups);
        }
    }

    record ArtifactPart(String repo, String pattern, String actions) implements ScopePart {
        public String text() {
            return "artifact:" + repo + "/" + pattern + ":"
                    + (actions.equals("*") ? "*" : String.join(",", actions.split("")));
        }
    }

    final long seed;
    final String prefix;
    final Random rnd;
    final Map<String, Repo> repos = new LinkedHashMap<>();
    final String ghost;
    final String build;
    /**
     * A virtual repository over every repository of the world, in a random order (API.md §9); it
     * holds no file of its own, so it is kept out of {@link #repos}.
     */
    final Repo virtual;

    final List<String> members = new ArrayList<>();
    final List<String> groups = new ArrayList<>();
    final List<User> users = new ArrayList<>();
    final List<Target> targets = new ArrayList<>();
    /** Per user name, the scopes of the tokens to issue (null = no scope parameter: applied-permissions/user). */
    final Map<String, List<List<ScopePart>>> tokenScopes = new LinkedHashMap<>();

    private int counter;

    MatrixWorld(long seed, String prefix) {
        this.seed = seed;
        this.prefix = prefix;
        this.rnd = new Random(seed);
        this.ghost = prefix + "-ghost";
        this.build = prefix + "-b";
        int nRepos = 2 + rnd.nextInt(2);
        for (int i = 0; i < nRepos; i++) {
            Repo r = new Repo(prefix + "-r" + i, rnd.nextInt(10) < 3);
            repos.put(r.name, r);
            int nFiles = 6 + rnd.nextInt(7);
            while (r.files.size() < nFiles) {
                String path = randomFilePath();
                FileState f = new FileState(r.name + ":" + path + ":" + seed);
                if (rnd.nextInt(10) < 3) {
                    f.props.put("build.name", List.of(build));
                    f.props.put("build.number", List.of(String.valueOf(1 + rnd.nextInt(2))));
                }
                r.files.putIfAbsent(path, f);
            }
        }
        virtual = new Repo(prefix + "-virtual", rnd.nextInt(10) < 3);
        virtual.description = "virtual " + virtual.name;
        members.addAll(repos.keySet());
        java.util.Collections.shuffle(members, rnd);
        groups.add(prefix + "-g0");
        groups.add(prefix + "-g1");
        int nUsers = 2 + rnd.nextInt(3);
        for (int i = 0; i < nUsers; i++) {
            Set<String> gs = new LinkedHashSet<>();
            for (String g : groups) {
                if (rnd.nextInt(10) < 4) {
                    gs.add(g);
                }
            }
            boolean disabled = i == nUsers - 1 && nUsers > 2 && rnd.nextBoolean();
            users.add(new User(prefix + "-u" + i, "pw-" + prefix + "-u" + i, gs, disabled));
        }
        int nTargets = 2 + rnd.nextInt(5);
        for (int i = 0; i < nTargets; i++) {
            targets.add(randomTarget(prefix + "-t" + i));
        }
        for (User u : users) {
            List<List<ScopePart>> scopes = new ArrayList<>();
            int n = 1 + rnd.nextInt(2);
            for (int i = 0; i < n; i++) {
                scopes.add(randomScope(u));
            }
            tokenScopes.put(u.name(), scopes);
        }
    }

    String fresh(String what) {
        return prefix + "-" + what + (counter++);
    }

    String randomFilePath() {
        int depth = 1 + rnd.nextInt(3);
        String name = pick(NAMES);
        return switch (depth) {
            case 1 -> name;
            case 2 -> pick(TOP) + "/" + name;
            default -> pick(TOP) + "/" + pick(MID) + "/" + name;
        };
    }

    <T> T pick(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    /** A pattern of the vocabulary: literal folders and files, sibling prefixes, {@code **}, {@code *}, {@code ?}. */
    String randomInclude() {
        return switch (rnd.nextInt(12)) {
            case 0 -> "**";
            case 1, 2 -> pick(TOP) + "/**";
            case 3 -> pick(TOP) + "/" + pick(MID) + "/**";
            case 4 -> "**/*.jar";
            case 5 -> pick(TOP) + "/*";
            case 6 -> "*/" + pick(MID) + "/**";
            case 7 -> "**/" + pick(MID) + "/**";
            case 8 -> pick(TOP) + "/acme*/**";
            case 9 -> "*/x?/**";
            case 10 -> pick(TOP) + "/" + pick(MID) + "/" + pick(NAMES);
            default -> rnd.nextBoolean() ? pick(NAMES) : "*.txt";
        };
    }

    String randomExclude() {
        return switch (rnd.nextInt(9)) {
            case 0 -> "**/*-SNAPSHOT.jar";
            case 1 -> "**/*.txt";
            case 2 -> pick(TOP) + "/" + pick(MID) + "/**";
            case 3 -> pick(TOP) + "/**";
            case 4 -> "**/maven-metadata.xml";
            case 5 -> "*/x?/**";
            case 6 -> "**/acme/**";
            case 7 -> "**/*SNAPSHOT*/**";
            default -> rnd.nextInt(4) == 0 ? "**" : pick(NAMES);
        };
    }

    String randomActions() {
        StringBuilder sb = new StringBuilder();
        for (char c : ACTIONS.toCharArray()) {
            if (rnd.nextInt(10) < 5) {
                sb.append(c);
            }
        }
        if (rnd.nextInt(10) == 0) {
            sb.append(rnd.nextBoolean() ? 'x' : 's');
        }
        return sb.isEmpty() ? String.valueOf(pick(List.of('r', 'w', 'd'))) : sb.toString();
    }

    private Target randomTarget(String name) {
        List<String> rs = new ArrayList<>();
        if (rnd.nextInt(8) == 0) {
            rs.add("*");
        } else {
            for (String r : repos.keySet()) {
                if (rnd.nextBoolean()) {
                    rs.add(r);
                }
            }
            if (rs.isEmpty()) {
                rs.add(pick(new ArrayList<>(repos.keySet())));
            }
            if (rnd.nextBoolean()) {
                rs.add(virtual.name);
            }
        }
        List<String> inc = new ArrayList<>();
        inc.add(randomInclude());
        if (rnd.nextInt(4) == 0) {
            inc.add(randomInclude());
        }
        List<String> exc = new ArrayList<>();
        int nExc = rnd.nextInt(10) < 5 ? 0 : 1 + rnd.nextInt(2);
        for (int i = 0; i < nExc; i++) {
            exc.add(randomExclude());
        }
        Map<String, String> us = new LinkedHashMap<>();
        Map<String, String> gs = new LinkedHashMap<>();
        int n = 1 + rnd.nextInt(2);
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(3) == 0) {
                gs.put(pick(groups), randomActions());
            } else {
                us.put(pick(users).name(), randomActions());
            }
        }
        return new Target(name, rs, inc, exc, us, gs);
    }

    /** null is "no scope parameter" (applied-permissions/user by default). */
    List<ScopePart> randomScope(User u) {
        int kind = rnd.nextInt(10);
        if (kind < 3) {
            return null;
        }
        List<ScopePart> parts = new ArrayList<>();
        if (kind < 5 && !u.groups().isEmpty()) {
            parts.add(new GroupsPart(Set.of(pick(new ArrayList<>(u.groups())))));
            if (kind == 4) {
                parts.add(randomArtifact());
            }
            return parts;
        }
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            parts.add(randomArtifact());
        }
        return parts;
    }

    ArtifactPart randomArtifact() {
        List<String> names = new ArrayList<>(repos.keySet());
        String repo = rnd.nextInt(10) == 0 ? ghost : rnd.nextInt(3) == 0 ? virtual.name : pick(names);
        String actions = rnd.nextInt(5) == 0 ? "*" : randomActions();
        return new ArtifactPart(repo, randomInclude(), actions);
    }

    static String scopeText(List<ScopePart> scope) {
        return scope == null
                ? "(default: applied-permissions/user)"
                : String.join(" ", scope.stream().map(ScopePart::text).toList());
    }

    User user(String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow();
    }

    /** Everything a reader of a failure needs to rebuild the world by hand. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("world ").append(prefix).append(" (seed ").append(seed).append(")\n");
        for (Repo r : repos.values()) {
            sb.append("  repo ")
                    .append(r.name)
                    .append(r.exists ? "" : " (deleted)")
                    .append(r.anonymousRead ? " anonymousRead" : "")
                    .append(": ");
            r.files.forEach((p, f) -> sb.append(p)
                    .append(f.props.containsKey("build.name") ? "[build " + f.props.get("build.number") + "]" : "")
                    .append(' '));
            sb.append('\n');
        }
        sb.append("  virtual repo ")
                .append(virtual.name)
                .append(virtual.anonymousRead ? " anonymousRead" : "")
                .append(" members ")
                .append(members)
                .append('\n');
        for (User u : users) {
            sb.append("  user ")
                    .append(u.name())
                    .append(" groups ")
                    .append(u.groups())
                    .append(u.disabled() ? " DISABLED" : "")
                    .append(" tokens ");
            tokenScopes
                    .get(u.name())
                    .forEach(s -> sb.append('[').append(scopeText(s)).append("] "));
            sb.append('\n');
        }
        for (Target t : targets) {
            sb.append("  target ")
                    .append(t.name())
                    .append(" repos ")
                    .append(t.repos())
                    .append(" include ")
                    .append(t.includes())
                    .append(" exclude ")
                    .append(t.excludes())
                    .append(" users ")
                    .append(t.users())
                    .append(" groups ")
                    .append(t.groups())
                    .append('\n');
        }
        return sb.toString();
    }
}
