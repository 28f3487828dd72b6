"""Re-exports."""
