package io.alerthub.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP relay between the hub and a real broker, to put faults on the wire: {@link #holdReplies(boolean)} stops
 * passing the broker's bytes to the hub (its PUBACKs stay on the relay), as a congested or half-dead link does.
 */
final class TcpRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private volatile boolean holding;
    private volatile boolean closed;

    TcpRelay(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("relay-accept").start(this::accept);
    }

    String uri() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** While {@code true}, nothing from the broker reaches the hub (it is passed on, in order, once released). */
    void holdReplies(boolean hold) {
        lock.lock();
        try {
            holding = hold;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(broker);
                Thread.ofVirtual().start(() -> pump(client, broker, false));
                Thread.ofVirtual().start(() -> pump(broker, client, true));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean reply) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (reply) {
                    awaitRelease();
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away: the other follows
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitRelease() throws InterruptedException {
        lock.lock();
        try {
            while (holding && !closed) {
                released.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        holdReplies(false);
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        sockets.forEach(TcpRelay::closeQuietly);
    }
}
