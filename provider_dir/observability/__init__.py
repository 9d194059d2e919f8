"""Operations: request ids and log lines (text or JSON), and Prometheus metrics at /metrics."""
