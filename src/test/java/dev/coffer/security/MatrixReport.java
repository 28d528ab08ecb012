package dev.coffer.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Mismatches between the server and the oracle, grouped by cause (route family, the oracle's
 * rule, expected and actual outcome), each with the seed, the world and the exact request; and a
 * count of the cells checked per route family and credential kind (what the run covered).
 */
final class MatrixReport {
    /** One disagreement. */
    record Mismatch(long seed, String world, String cred, String request, String expected, String actual) {}

    private static final int EXAMPLES = 3;

    private final Map<String, List<Mismatch>> byCause = new TreeMap<>();
    private final Map<String, Map<String, Integer>> cells = new TreeMap<>();
    private final Map<Long, String> worlds = new LinkedHashMap<>();
    private int total;

    void world(long seed, String description) {
        worlds.put(seed, description);
    }

    void cell(String family, String credKind) {
        cells.computeIfAbsent(family, k -> new TreeMap<>()).merge(credKind, 1, Integer::sum);
    }

    void mismatch(String cause, Mismatch m) {
        total++;
        byCause.computeIfAbsent(cause, k -> new ArrayList<>()).add(m);
    }

    int total() {
        return total;
    }

    int cellCount() {
        return cells.values().stream()
                .flatMap(m -> m.values().stream())
                .mapToInt(Integer::intValue)
                .sum();
    }

    String coverage() {
        StringBuilder sb = new StringBuilder("cells checked per route family and credential kind:\n");
        cells.forEach((family, byKind) -> sb.append(String.format("  %-34s %s%n", family, byKind)));
        return sb.toString();
    }

    /** Every cause with its count, seeds and the first few examples in full; each world once. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(total).append(" mismatches in ").append(byCause.size()).append(" causes\n");
        Map<Long, Boolean> shown = new LinkedHashMap<>();
        byCause.forEach((cause, list) -> {
            sb.append("\n== ")
                    .append(cause)
                    .append(": ")
                    .append(list.size())
                    .append(" times, seeds ")
                    .append(list.stream()
                            .map(Mismatch::seed)
                            .distinct()
                            .limit(8)
                            .toList())
                    .append('\n');
            for (Mismatch m : list.subList(0, Math.min(EXAMPLES, list.size()))) {
                sb.append("   seed ")
                        .append(m.seed())
                        .append(" | ")
                        .append(m.cred())
                        .append(" | ")
                        .append(m.request())
                        .append("\n     expected: ")
                        .append(m.expected())
                        .append("\n     actual:   ")
                        .append(m.actual())
                        .append('\n');
                shown.put(m.seed(), true);
            }
        });
        sb.append("\n== worlds of the examples above\n");
        shown.keySet().forEach(seed -> sb.append(worlds.get(seed)));
        return sb.toString();
    }
}
