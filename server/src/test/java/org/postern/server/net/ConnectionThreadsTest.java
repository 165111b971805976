package org.postern.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionThreadsTest {
    @Test
    void connectionsPastThePoolRunOnVirtualThreadsAndEveryTaskCarriesItsName() throws Exception {
        int tasks = ConnectionThreads.PLATFORM_THREADS + 1;
        CountDownLatch started = new CountDownLatch(tasks);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger platform = new AtomicInteger();
        AtomicInteger virtual = new AtomicInteger();
        ConcurrentHashMap<String, Boolean> names = new ConcurrentHashMap<>();
        for (int i = 0; i < tasks; i++) {
            String name = "conn-test-" + i;
            ConnectionThreads.start(name, () -> {
                names.put(Thread.currentThread().getName(), Boolean.TRUE);
                (Thread.currentThread().isVirtual() ? virtual : platform).incrementAndGet();
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).as("every task runs at once, none waits for a thread").isTrue();
        release.countDown();

        assertThat(platform.get() + virtual.get()).isEqualTo(tasks);
        assertThat(platform.get()).isBetween(1, ConnectionThreads.PLATFORM_THREADS);
        assertThat(virtual.get()).isGreaterThanOrEqualTo(1);
        assertThat(names).hasSize(tasks).containsKey("conn-test-0").containsKey("conn-test-" + (tasks - 1));
    }

    @Test
    void aPooledThreadGetsItsIdleNameBackAfterEachConnection() throws Exception {
        String[] seen = new String[2];
        Thread[] threads = new Thread[2];
        for (int i = 0; i < 2; i++) {
            CountDownLatch done = new CountDownLatch(1);
            int k = i;
            ConnectionThreads.start("conn-reuse-" + i, () -> {
                seen[k] = Thread.currentThread().getName();
                threads[k] = Thread.currentThread();
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            // the pool thread finishes the wrapper (name restored) a moment after the task's last line
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (threads[k].getName().startsWith("conn-reuse-") && System.nanoTime() < deadline) Thread.onSpinWait();
            assertThat(threads[k].getName()).startsWith("conn-worker-");
        }
        assertThat(seen).containsExactly("conn-reuse-0", "conn-reuse-1");
        assertThat(threads[0].isVirtual()).isFalse();
    }
}
