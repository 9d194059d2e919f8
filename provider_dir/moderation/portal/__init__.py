"""Moderators' queues of the clinic portal: claims, new listings and edits."""
