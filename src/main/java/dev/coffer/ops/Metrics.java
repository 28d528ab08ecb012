package dev.coffer.ops;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The meter registry of one running instance, scraped as Prometheus text. Slices that want to
 * publish something (e.g. a queue depth gauge) register on {@link #registry()}; the HTTP layer
 * records requests, authentications and transfers itself.
 */
public final class Metrics implements AutoCloseable {
    /** Prometheus text exposition format 0.0.4, what {@link #scrape()} returns. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
    private JvmGcMetrics gc;

    /** A registry without JVM meters (for command-line tools). */
    public Metrics() {}

    /** Adds memory, GC, thread, class-loading, processor and uptime meters. */
    public Metrics withJvm() {
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return this;
    }

    /** Hit, miss, eviction and size meters of a Caffeine cache built with {@code recordStats()}. */
    public void monitor(String name, Cache<?, ?> cache) {
        CaffeineCacheMetrics.monitor(registry, cache, name);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Runs before every scrape: for meters whose set changes (one per remote repository). */
    public void beforeScrape(Runnable update) {
        beforeScrape.add(update);
    }

    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
