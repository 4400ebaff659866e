# The game pattern for Locust (FastHttpUser), as the bench compares it: register, log in, then
# the loop with no think time. `locust -f bench/locustfile.py --headless -u 50 -r 1000 -t 10s -H URL`
import random

from locust import task
from locust.contrib.fasthttp import FastHttpUser


class Player(FastHttpUser):
    def on_start(self):
        name = f"p{id(self)}"
        self.client.post("/api/users", json={"username": name, "password": "pw-" + name})
        token = self.client.post("/api/login", json={"username": name, "password": "pw-" + name}).json()["token"]
        self.headers = {"authorization": "Bearer " + token}

    @task
    def play(self):
        h = self.headers
        self.client.get("/api/me", headers=h)
        sid = self.client.post("/api/sessions", headers=h).json()["id"]
        for _ in range(random.randint(2, 4)):
            self.client.post(f"/api/sessions/{sid}/score", json={"points": random.randint(1, 1000)}, headers=h,
                             name="/api/sessions/:id/score")
        self.client.post(f"/api/sessions/{sid}/end", headers=h, name="/api/sessions/:id/end")
        self.client.get("/api/leaderboard?limit=10", headers=h)
        self.client.get(f"/api/users?page={random.randint(1, 5)}&limit=20", headers=h, name="/api/users")
