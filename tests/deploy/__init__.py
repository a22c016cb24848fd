"""Deployment artifacts: Dockerfile, compose.yaml and the Kubernetes manifests."""
