"""Certificates as PDF: of attendance, for the registrants who came to a professional
development activity, and of mentoring, for the two schools of a completed match.

Nothing is stored: a certificate is made anew from the registration or the match each
time, and its verification code is derived from what it is of (:mod:`.codes`), so
anyone can check one at ``/certificates/<code>``.
"""
