"""Security rules shared by every domain (outbound URL checks)."""
