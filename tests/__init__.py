"""Tests of docgen-py and of the package it generates."""
