"""History: a stream worker that stores reports in VictoriaMetrics, and the API that charts them."""
